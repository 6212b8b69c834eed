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

  it('reports a missing phone as required', () => {
    const result = SokDraftSchema.safeParse({ ...valid, citizenPhone: undefined });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(fieldErrors(result.error).citizenPhone).toBe('Telefon numarası zorunludur.');
  });
});
