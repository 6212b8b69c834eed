import type { z } from 'zod';
import { fieldErrors } from '../../../src/domain/validation';
import { BridgeError } from '../bridge';
import { t } from '../../../src/domain/i18n/tr';
import { ui } from '../i18n';

export type FieldMessages = Partial<Record<string, string>>;

export interface FormErrors {
  /** Messages for fields this form shows, keyed by field name. */
  fields: FieldMessages;
  /** Everything else, for the line above the buttons; null when there is nothing to add. */
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

/**
 * Splits a failed call into messages next to the form's own fields and one message for the
 * rest, so a server message about a field the form does not show is never lost.
 */
export function formErrors(error: unknown, shown: readonly string[]): FormErrors {
  if (!(error instanceof BridgeError)) {
    return { fields: {}, form: error instanceof Error ? error.message : t('error.internal') };
  }
  const fields: FieldMessages = {};
  const rest: string[] = [];
  for (const [key, message] of Object.entries(error.data.fields ?? {})) {
    if (shown.includes(key)) fields[key] = message;
    else if (!rest.includes(message)) rest.push(message);
  }
  const form = [error.data.message, ...rest.filter((m) => m !== error.data.message)].join(' ');
  return { fields, form };
}

/** Checks values with a domain schema before anything is sent; null when they pass. */
export function checkWith(schema: z.ZodType, values: unknown): FormErrors | null {
  const result = schema.safeParse(values);
  if (result.success) return null;
  return { fields: fieldErrors(result.error), form: ui('form.fixErrors') };
}

/**
 * Checks a form that asks for a new password twice: the domain schema first, then that both
 * entries are the same (the repeat is never sent, so no schema knows it).
 */
export function checkWithRepeat(
  schema: z.ZodType,
  values: unknown,
  entered: { password: string; repeat: string; repeatField: string },
): FormErrors | null {
  const invalid = checkWith(schema, values);
  const differ = entered.repeat !== entered.password;
  if (!invalid && !differ) return null;
  const fields = { ...invalid?.fields };
  if (differ) fields[entered.repeatField] = ui('auth.passwordsDiffer');
  return { fields, form: ui('form.fixErrors') };
}

/** The errors once the user has changed a field: its own message goes, the rest stay. */
export function withoutField(errors: FormErrors, field: string): FormErrors {
  if (errors.fields[field] === undefined) return errors;
  const fields = { ...errors.fields };
  delete fields[field];
  return { fields, form: Object.keys(fields).length === 0 ? null : errors.form };
}
