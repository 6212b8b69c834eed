import { t, type MessageKey } from '../i18n/tr';

/**
 * A command the workflow refused, as data: why (the code), the catalogue key of what the user
 * reads (with its parameters) and the field it is about. The Turkish text is made from the
 * catalogue where the refusal is shown (`refusalText`), the same on the desk and the server.
 */
export interface Refusal {
  ok: false;
  code: 'forbidden' | 'conflict' | 'validation';
  key: MessageKey;
  params?: Record<string, string | number>;
  field?: string;
}

/** A refused registration command, with the fields it is about (it checks several at once). */
export interface CommandRefusal {
  ok: false;
  code: 'forbidden' | 'validation';
  key: MessageKey;
  fields?: Record<string, MessageKey>;
}

export const refuse = (
  code: Refusal['code'],
  key: MessageKey,
  options: { params?: Record<string, string | number>; field?: string } = {},
): Refusal => ({
  ok: false,
  code,
  key,
  ...(options.params ? { params: options.params } : {}),
  ...(options.field ? { field: options.field } : {}),
});

/** What a refusal says: the message and, per field, the message about that field. */
export interface RefusalText {
  code: Refusal['code'];
  message: string;
  fields?: Record<string, string>;
}

export function refusalText(r: Refusal | CommandRefusal): RefusalText {
  const message = t(r.key, 'params' in r ? r.params : undefined);
  if ('fields' in r && r.fields) {
    const fields = Object.fromEntries(
      Object.entries(r.fields).map(([field, key]) => [field, t(key)]),
    );
    return { code: r.code, message, fields };
  }
  if ('field' in r && r.field) return { code: r.code, message, fields: { [r.field]: message } };
  return { code: r.code, message };
}
