import { describe, expect, it } from 'vitest';
import { describeError } from './push';

describe('a refused change in the rejected panel', () => {
  it('says a message once, even when its field repeats it', () => {
    const message =
      'Bu saatte vatandaş aranmaz (gece veya tatil). Arama saatleri içinde tekrar deneyin.';
    expect(describeError({ code: 'validation', message, fields: { at: message } })).toBe(message);
  });

  it('adds what the fields say beyond the message, each once', () => {
    expect(
      describeError({
        code: 'validation',
        message: 'Girilen bilgiler geçersiz.',
        fields: { phone: 'Telefon geçerli değil.', email: 'Telefon geçerli değil.' },
      }),
    ).toBe('Girilen bilgiler geçersiz. Telefon geçerli değil.');
  });
});
