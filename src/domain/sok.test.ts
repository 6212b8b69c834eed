import { describe, expect, it } from 'vitest';
import { SokDraftSchema } from './sok';
import { fieldErrors } from './validation';

const valid = {
  typeCode: 'sikayet',
  topicCode: 'temizlik.cop-toplanmadi',
  districtCode: 'yildirim',
  description: 'Çöp konteyneri üç gündür boşaltılmadı.',
  citizenName: 'Ayşe Işık',
  citizenPhone: '0532 123 45 67',
};

describe('SokDraftSchema', () => {
  it('normalises the phone to E.164 and fills defaults', () => {
    const draft = SokDraftSchema.parse(valid);
    expect(draft.citizenPhone).toBe('+905321234567');
    expect(draft.channelCode).toBe('telefon');
    expect(draft.mahalle).toBe('');
  });

  it('explains each bad field in Turkish', () => {
    const result = SokDraftSchema.safeParse({
      ...valid,
      citizenPhone: '123',
      description: '   ',
      typeCode: '',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrors(result.error)).toEqual({
      citizenPhone: 'Telefon numarası geçerli değil. Örnek: 0532 123 45 67',
      description: 'Bu alan zorunludur.',
      typeCode: 'Bu alan zorunludur.',
    });
  });

  it('refuses unknown fields and oversized descriptions', () => {
    const unknown = SokDraftSchema.safeParse({ ...valid, admin: true });
    expect(unknown.success).toBe(false);
    if (!unknown.success)
      expect(fieldErrors(unknown.error)).toEqual({ _: 'Beklenmeyen alan: admin' });
    const big = SokDraftSchema.safeParse({ ...valid, description: 'x'.repeat(4001) });
    expect(big.success).toBe(false);
    if (!big.success) {
      expect(fieldErrors(big.error).description).toBe('En fazla 4000 karakter olabilir.');
    }
  });

  it('needs a phone number or an e-mail address, and the one the citizen wants to be told by', () => {
    const none = SokDraftSchema.safeParse({ ...valid, citizenPhone: undefined });
    expect(none.success).toBe(false);
    if (!none.success) {
      expect(fieldErrors(none.error).citizenPhone).toBe(
        'Telefon numarası veya e-posta adresinden en az biri gerekli.',
      );
    }
    const emailOnly = SokDraftSchema.safeParse({
      ...valid,
      citizenPhone: '',
      citizenEmail: 'Ayse@Ornek.com.tr',
      preferredContact: 'e-posta',
    });
    expect(emailOnly.success && emailOnly.data.citizenEmail).toBe('ayse@ornek.com.tr');
    const smsToLandline = SokDraftSchema.safeParse({
      ...valid,
      citizenPhone: '0224 123 45 67',
      preferredContact: 'sms',
    });
    expect(smsToLandline.success).toBe(false);
    if (!smsToLandline.success) {
      expect(fieldErrors(smsToLandline.error).preferredContact).toBe(
        'SMS ile bilgilendirme için bir cep telefonu numarası gerekli.',
      );
    }
    expect(SokDraftSchema.safeParse({ ...valid, preferredContact: 'e-posta' }).success).toBe(false);
    const badMail = SokDraftSchema.safeParse({ ...valid, citizenEmail: 'ayse@' });
    expect(badMail.success).toBe(false);
    if (!badMail.success) {
      expect(fieldErrors(badMail.error).citizenEmail).toBe('E-posta adresi geçerli değil.');
    }
  });

  it('accepts optional coordinates only within range', () => {
    expect(SokDraftSchema.safeParse({ ...valid, latitude: 40.19, longitude: 29.06 }).success).toBe(
      true,
    );
    const far = SokDraftSchema.safeParse({ ...valid, latitude: 140, longitude: 29.06 });
    expect(far.success).toBe(false);
    if (!far.success) expect(fieldErrors(far.error).latitude).toBe('En fazla 90 olabilir.');
  });
});
