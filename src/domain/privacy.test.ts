import { describe, expect, it } from 'vitest';
import { maskEmail, maskName, maskPhone, seesFullContact } from './privacy';

describe('KVKK masking', () => {
  it('keeps only what tells two callers apart', () => {
    expect(maskPhone('+905321234567')).toBe('+90 532 *** ** 67');
    expect(maskPhone('')).toBe('');
    expect(maskEmail('hatice.yilmaz@example.com')).toBe('h***@example.com');
    expect(maskName('  Hatice  Yılmaz ')).toBe('H. Y.');
    expect(maskName('ismail ırmak')).toBe('İ. I.');
  });

  it('shows contact details in full to the taking, evaluating and callback-owning organisations', () => {
    const sok = { originOrg: 'nilufer', targetOrg: 'fen-isleri', callbackOwnerOrg: 'fen-isleri' };
    expect(seesFullContact('nilufer', sok)).toBe(true);
    expect(seesFullContact('fen-isleri', sok)).toBe(true);
    expect(seesFullContact('bikom', sok)).toBe(false);
  });
});
