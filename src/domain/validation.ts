import { type z } from 'zod';
import { AppError } from './errors';
import { t } from './i18n/tr';

/**
 * Turns a zod failure into one Turkish message per field. Schemas carry their own Turkish
 * messages; anything zod reports without one gets a generic message by issue kind.
 */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    if (fields[key] !== undefined) continue;
    fields[key] = messageFor(issue);
  }
  return fields;
}

function messageFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (!issue.message.startsWith('Too small') && !issue.message.startsWith('Invalid')) {
        return issue.message;
      }
      return issue.origin === 'number'
        ? t('validation.numberTooSmall', { min: Number(issue.minimum) })
        : t('validation.tooShort', { min: Number(issue.minimum) });
    case 'too_big':
      if (!issue.message.startsWith('Too big') && !issue.message.startsWith('Invalid')) {
        return issue.message;
      }
      return issue.origin === 'number'
        ? t('validation.numberTooBig', { max: Number(issue.maximum) })
        : t('validation.tooLong', { max: Number(issue.maximum) });
    case 'unrecognized_keys':
      return t('validation.unknownField', { name: issue.keys.join(', ') });
    case 'invalid_type':
      if (!issue.message.startsWith('Invalid')) return issue.message;
      return issue.input === undefined ? t('validation.required') : t('validation.invalid');
    default:
      return issue.message.startsWith('Invalid') ? t('validation.invalid') : issue.message;
  }
}

/** Parses input with a schema or throws a validation AppError carrying the field messages. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError('validation', t('validation.invalid'), fieldErrors(result.error));
}
