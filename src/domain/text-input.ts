import { z } from 'zod';
import { t } from './i18n/tr';

/**
 * The one rule for text that crosses a boundary (the desk's forms and bridge, every HTTP route
 * of the central API), so the desk refuses exactly what the server would refuse and the two
 * database backends store the same thing:
 *
 * - line breaks are normalised: CRLF and a lone CR become LF;
 * - Unicode is normalised to NFC (a "ş" typed as s + combining cedilla is stored as "ş");
 * - C0 control characters other than tab and newline (NUL above all: PostgreSQL cannot store
 *   it in text), DEL and the C1 controls are **refused**, not removed: silently changing what an
 *   agent typed would change a citizen's words without telling anyone;
 * - lone UTF-16 surrogates (half a character, from a bad copy or a hostile client) are refused;
 * - lengths are counted in code points after NFC (and after trimming where the field trims),
 *   the same for every limit: "ş" and "😀" each count as one character, as a person counts.
 */

// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a text breaks the rule, or null when it keeps it (before normalisation). */
export function textProblem(value: string): 'control' | 'surrogate' | null {
  if (LONE_SURROGATE.test(value)) return 'surrogate';
  if (FORBIDDEN_CONTROL.test(value.replace(/\r/g, ''))) return 'control';
  return null;
}

/** Line breaks to LF and NFC: what is stored, compared and counted. */
export function normaliseText(value: string): string {
  return value.replace(/\r\n?/g, '\n').normalize('NFC');
}

/** Length as the rule counts it: code points (after normalisation). */
export function textLength(value: string): number {
  // UTF-16 units minus one per surrogate pair, without building an array of a long text.
  let n = value.length;
  for (let i = 0; i < value.length - 1; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n -= 1;
        i += 1;
      }
    }
  }
  return n;
}

export function textProblemMessage(problem: 'control' | 'surrogate'): string {
  return problem === 'control' ? t('validation.controlCharacter') : t('validation.brokenCharacter');
}

export interface TextOptions {
  /** Most characters allowed (code points after NFC and trimming). */
  max: number;
  /** Fewest characters; 1 or more makes the field required (an empty value is "zorunlu"). */
  min?: number;
  /** Strip surrounding white space first (default true; never for passwords). */
  trim?: boolean;
  /** Messages instead of the catalogue's generic ones. */
  messages?: { required?: string; tooShort?: string; tooLong?: string; type?: string };
}

/**
 * A string schema that applies the rule above. Chain `.regex()`, `.refine()`, `.optional()`,
 * `.nullable()` or `.default()` as usual, but not `.min()`/`.max()`/`.trim()`: zod counts UTF-16
 * units and would trim after these checks have counted.
 */
export function text(options: TextOptions): z.ZodString {
  const { max, min = 0, trim = true, messages = {} } = options;
  const schema = z.string({
    error: (issue) =>
      messages.type ??
      (issue.input === undefined ? t('validation.required') : t('validation.invalid')),
  });
  return schema
    .superRefine((value, ctx) => {
      const problem = textProblem(value);
      if (problem !== null) {
        ctx.addIssue({ code: 'custom', message: textProblemMessage(problem), abort: true });
      }
    })
    .overwrite((value) => {
      const normal = normaliseText(value);
      return trim ? normal.trim() : normal;
    })
    .superRefine((value, ctx) => {
      const length = textLength(value);
      if (min >= 1 && value === '') {
        ctx.addIssue({
          code: 'too_small',
          origin: 'string',
          minimum: min,
          inclusive: true,
          input: value,
          message: messages.required ?? t('validation.required'),
        });
      } else if (length < min) {
        ctx.addIssue({
          code: 'too_small',
          origin: 'string',
          minimum: min,
          inclusive: true,
          input: value,
          message: messages.tooShort ?? t('validation.tooShort', { min }),
        });
      } else if (length > max) {
        ctx.addIssue({
          code: 'too_big',
          origin: 'string',
          maximum: max,
          inclusive: true,
          input: value,
          message: messages.tooLong ?? t('validation.tooLong', { max }),
        });
      }
    });
}
