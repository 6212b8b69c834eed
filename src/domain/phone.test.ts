import { describe, expect, it } from 'vitest';
import {
  canonicalPhone,
  formatPhoneForDisplay,
  numberPart,
  parseTurkishPhone,
  phoneSearchForms,
} from './phone';

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

describe('canonicalPhone', () => {
  it.each([
    '+905321234567',
    '905321234567',
    '05321234567',
    '5321234567',
    '0532 123 45 67',
    '00905321234567',
    'sip:+905321234567@gw.example',
    'sip:05321234567@alo153.test;user=phone',
    'sips:5321234567@alo153.test',
    'tel:+90-532-123-45-67',
    '"Ali Veli" <sip:+905321234567@gw.example>',
    'sip:%2B905321234567@gw.example',
  ])('stores caller ID %s as +905321234567', (raw) => {
    expect(canonicalPhone(raw)).toBe('+905321234567');
  });

  it('keeps internal extensions, service numbers and foreign numbers recognisable', () => {
    expect(canonicalPhone('1001')).toBe('1001');
    expect(canonicalPhone('sip:4101@alo153.test')).toBe('4101');
    expect(canonicalPhone('153')).toBe('153');
    expect(canonicalPhone('+49 151 12345678')).toBe('+4915112345678');
    expect(canonicalPhone('004915112345678')).toBe('+4915112345678');
    expect(canonicalPhone('')).toBe('');
    expect(canonicalPhone('anonymous')).toBe('anonymous');
  });

  it('takes the number out of a URI without its host or parameters', () => {
    expect(numberPart('sip:1001@alo153.test;transport=ws')).toBe('1001');
    expect(numberPart('(0532) 123-45-67')).toBe('05321234567');
  });
});

describe('formatPhoneForDisplay', () => {
  it('shows the national format agents read aloud', () => {
    expect(formatPhoneForDisplay('+905321234567')).toBe('0532 123 45 67');
    expect(formatPhoneForDisplay('+902241234567')).toBe('0224 123 45 67');
  });

  it('shows every form of the same number the same way', () => {
    for (const raw of ['05321234567', '5321234567', '905321234567', 'sip:+905321234567@gw']) {
      expect(formatPhoneForDisplay(raw)).toBe('0532 123 45 67');
    }
    expect(formatPhoneForDisplay('1001')).toBe('1001');
    expect(formatPhoneForDisplay('+4915112345678')).toBe('+49 1511 2345678');
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
