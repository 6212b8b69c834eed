import { describe, expect, it } from 'vitest';
import { bridgeMethods } from './bridge/contract';
import { DecidePayloadSchema } from './workflow';
import { LoginSchema } from './session';
import { SokCreatePayloadSchema } from './sync';
import { text, textLength } from './text-input';

const draft = {
  typeCode: 'sikayet',
  topicCode: 'temizlik.cop-toplanmadi',
  districtCode: 'yildirim',
  description: 'Çöp üç gündür alınmadı.',
  citizenName: 'Ayşe Işık',
  citizenPhone: '0532 123 45 67',
};
const onServer = (overrides: Record<string, unknown>) =>
  SokCreatePayloadSchema.safeParse({
    ...draft,
    id: '5b0f3c1e-8a51-4b7e-9a53-0c8d6e1f2a3b',
    regNo: null,
    registeredAt: '2026-03-02T08:59:00.000Z',
    ...overrides,
  });
const onDesk = (overrides: Record<string, unknown>) =>
  bridgeMethods['sok.create'].input.safeParse({ ...draft, ...overrides });

describe('one text rule for desk and server', () => {
  it('refuses NUL and other control characters in every ŞÖK text field, on the desk as on the server, in Turkish', () => {
    for (const field of ['description', 'citizenName', 'mahalle', 'address', 'routeReason']) {
      for (const bad of ['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085']) {
        const value = `Çöp alınmadı${bad} sokakta`;
        const desk = onDesk({ [field]: value });
        const server = onServer({ [field]: value });
        expect(desk.success, `${field} ${JSON.stringify(bad)}`).toBe(false);
        expect(server.success).toBe(false);
        expect(desk.error!.issues[0]!.message).toContain('görünmez bir karakter');
      }
    }
    expect(onDesk({ citizenEmail: 'a\u0000@example.org' }).success).toBe(false);
    expect(onServer({ citizenPhone: '0532\u0000 123 45 67' }).success).toBe(false);
  });

  it('refuses lone surrogates (half a character)', () => {
    for (const bad of ['\ud800', '\udfff', 'a\ud83db']) {
      expect(onDesk({ description: `Çöp alınmadı ${bad}!` }).error!.issues[0]!.message).toContain(
        'bozuk bir karakter',
      );
      expect(onServer({ citizenName: `Ayşe ${bad}` }).success).toBe(false);
    }
  });

  it('keeps tab and newline, turns CRLF and CR into LF, and stores NFC', () => {
    const parsed = onServer({
      description: 'Birinci satır\r\nikinci\tsatır\rüçüncü',
      citizenName: 'Ays\u0327e Is\u0327ık',
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data!.description).toBe('Birinci satır\nikinci\tsatır\nüçüncü');
    expect(parsed.data!.citizenName).toBe('Ayşe Işık');
  });

  it('counts lengths in code points after NFC, the same for every limit', () => {
    expect(textLength('😀ş')).toBe(2);
    const name = text({ max: 5 });
    expect(name.safeParse('😀😀😀😀😀').success).toBe(true);
    expect(name.safeParse('😀😀😀😀😀😀').success).toBe(false);
    // Five decomposed "ş" are ten UTF-16 units but five characters once composed.
    expect(name.safeParse('s\u0327'.repeat(5)).success).toBe(true);
    const limit = 'ç'.repeat(120);
    expect(onServer({ citizenName: limit }).success).toBe(true);
    expect(onServer({ citizenName: `${limit}ç` }).error!.issues[0]!.message).toBe(
      'En fazla 120 karakter olabilir.',
    );
  });

  it('applies to sign-in and to a decision too', () => {
    expect(LoginSchema.safeParse({ username: 'ayse\u0000', password: 'x' }).success).toBe(false);
    expect(
      DecidePayloadSchema.safeParse({
        sokId: '5b0f3c1e-8a51-4b7e-9a53-0c8d6e1f2a3b',
        kind: 'already-done',
        explanation: 'Yapıldı\u0000',
      }).success,
    ).toBe(false);
  });
});
