import { describe, expect, it } from 'vitest';
import { formatPhoneForDisplay, parseTurkishPhone, phoneSearchForms } from './phone';

describe('parseTurkishPhone', () => {
  it.each([
    '0532 123 45 67',
    '05321234567',
    '532 123 4567',
    '+90 532 123 45 67',
    '0090 532 123 45 67',
    '905321234567',
    '(0532) 123-45-67',
  ])('normalises %s to E.164', (input) => {
    const parsed = parseTurkishPhone(input);
    expect(parsed).toMatchObject({ ok: true, e164: '+905321234567', kind: 'mobile' });
  });

  it('accepts a Bursa landline', () => {
    expect(parseTurkishPhone('0224 123 45 67')).toMatchObject({
      ok: true,
      e164: '+902241234567',
      kind: 'fixed',
    });
  });

  it('rejects numbers that cannot exist', () => {
    expect(parseTurkishPhone('0532 123')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseTurkishPhone('0000 000 00 00')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseTurkishPhone('merhaba')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseTurkishPhone('   ')).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('formatPhoneForDisplay', () => {
  it('shows the national format agents read aloud', () => {
    expect(formatPhoneForDisplay('+905321234567')).toBe('0532 123 45 67');
    expect(formatPhoneForDisplay('+902241234567')).toBe('0224 123 45 67');
  });
});

describe('phoneSearchForms', () => {
  it('lists the ways an agent may type the number', () => {
    expect(phoneSearchForms('+905321234567')).toEqual([
      '905321234567',
      '05321234567',
      '5321234567',
    ]);
  });
});
