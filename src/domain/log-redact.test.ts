import { describe, expect, it } from 'vitest';
import { redactLogText } from './log-redact';

describe('the log file keeps no personal data', () => {
  it('hides phone numbers in every form the exchange or a user writes them', () => {
    for (const phone of ['0532 123 45 67', '+905321234567', '05321234567', '(0224) 716 10 00']) {
      expect(redactLogText(`arama ${phone} bitti`)).toBe('arama *** bitti');
    }
  });

  it('hides e-mail addresses, T.C. kimlik numbers, passwords and tokens', () => {
    expect(redactLogText('alıcı ayse.isik@example.com reddetti')).toBe('alıcı ***@*** reddetti');
    expect(redactLogText('tckn 12345678901')).toBe('tckn ***');
    expect(redactLogText('authorization: Bearer abc.def.ghi')).toBe('authorization: ***');
    expect(redactLogText('password=gizli123 user=masa1')).toBe('password=*** user=masa1');
  });

  it('hides a citizen’s words and contact in an echoed JSON body', () => {
    expect(
      redactLogText(
        '400 {"citizenName":"Ayşe Işık","description":"Çöp \\"toplanmadı\\"","topicCode":"temizlik"}',
      ),
    ).toBe('400 {"citizenName":"***","description":"***","topicCode":"temizlik"}');
  });

  it('keeps what IT needs: ŞÖK ids, registration numbers, HTTP codes and times', () => {
    const line =
      'sok 3f2a9c1e-0b7d-4a52-9e61-123456789012 kayıt 0012-3454 push 409 2026-12-07T12:00:00.000Z';
    expect(redactLogText(line)).toBe(line);
  });
});
