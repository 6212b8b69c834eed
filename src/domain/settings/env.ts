import { z } from 'zod';
import { t } from '../i18n/tr';

/**
 * The one environment parser of the server, the desk and the benches. Pure: it reads a plain
 * record (process.env, or a test's object) and never exits or prints.
 *
 * A consumer declares a spec (a tree of settings, each an environment variable with a zod
 * schema from its text to its value) and calls {@link parseEnv}. The rule for bad values is the
 * same everywhere: every bad variable is reported by name with the reason, and nothing is
 * returned, so the program refuses to start ({@link EnvError}). Unset or empty variables are
 * left out of the result; defaults belong to the consumer's config schema or call site.
 */

export type EnvRecord = Readonly<Record<string, string | undefined>>;

/** Language of the reasons: operators of the server and benches read English, the desk Turkish. */
export type EnvLanguage = 'en' | 'tr';

export interface EnvSetting<T> {
  readonly kind: 'env-setting';
  readonly variable: string;
  /** From the variable's text (trimmed unless verbatim) to its value. */
  readonly schema: z.ZodType<T, string>;
  /** Read as written (a password may end in a space). */
  readonly verbatim?: boolean;
}

export interface EnvSpec {
  readonly [key: string]: EnvSetting<unknown> | EnvSpec;
}

/** The values a spec reads: every key optional (unset variables are left out). */
export type EnvValues<S extends EnvSpec> = {
  -readonly [K in keyof S]?: S[K] extends EnvSetting<infer T>
    ? T
    : S[K] extends EnvSpec
      ? EnvValues<S[K]>
      : never;
};

export interface EnvProblem {
  /** The environment variable (or, for an embedding host's object, the config key). */
  readonly variable: string;
  readonly reason: string;
  /** The text that could not be read at all; never echoed for values checked later (secrets). */
  readonly value?: string;
}

/** Bad settings: the message lists every problem, one a line. */
export class EnvError extends Error {
  readonly problems: readonly EnvProblem[];
  readonly title: string;

  constructor(title: string, problems: readonly EnvProblem[], lang: EnvLanguage = 'en') {
    super(`${title}\n${formatEnvProblems(problems, lang)}`);
    this.name = 'EnvError';
    this.title = title;
    this.problems = problems;
  }
}

export function formatEnvProblems(
  problems: readonly EnvProblem[],
  lang: EnvLanguage = 'en',
): string {
  const got = (value: string) =>
    lang === 'tr' ? ` (${t('settings.written', { value })})` : `, got "${value}"`;
  return problems
    .map((p) => `  ${p.variable}: ${p.reason}${p.value === undefined ? '' : got(p.value)}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Reasons the readers give, in both languages (the Turkish ones live in the domain catalogue).

const REASONS = {
  integer: { en: 'expected an integer', tr: 'settings.integer' },
  count: { en: 'must be a positive integer', tr: 'settings.count' },
  boolean: { en: 'expected true or false', tr: 'settings.boolean' },
  integerList: { en: 'expected integers separated by commas', tr: 'settings.integerList' },
  json: { en: 'expected JSON', tr: 'settings.json' },
  trustAny: {
    en: '"true" would believe any client\'s X-Forwarded-For; give the number of proxies in front (e.g. 1) or their addresses (e.g. 10.0.0.5,10.1.0.0/16)',
    tr: 'settings.trustAny',
  },
} as const;
type Reason = keyof typeof REASONS;

function refuse(ctx: z.core.$RefinementCtx<string>, reason: Reason): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message: REASONS[reason].en, params: { reason } });
  return z.NEVER;
}

/** A zod issue as a reason a person reads. */
function reasonOf(issue: z.core.$ZodIssue, lang: EnvLanguage): string {
  const reason = issue.code === 'custom' ? (issue.params?.reason as Reason | undefined) : undefined;
  if (reason !== undefined) return lang === 'tr' ? t(REASONS[reason].tr) : REASONS[reason].en;
  if (lang === 'en') return issue.message;
  switch (issue.code) {
    case 'too_small':
      return t('settings.tooSmall', { min: String(issue.minimum) });
    case 'too_big':
      return t('settings.tooBig', { max: String(issue.maximum) });
    case 'invalid_value':
      return t('settings.oneOf', { values: issue.values.map(String).join(', ') });
    case 'invalid_format':
      return t('settings.format');
    default:
      return issue.message;
  }
}

// ---------------------------------------------------------------------------------------------
// Readers: one per kind of text. `inner` adds the setting's own limits.

function setting<T>(
  variable: string,
  schema: z.ZodType<T, string>,
  verbatim = false,
): EnvSetting<T> {
  return { kind: 'env-setting', variable, schema, verbatim };
}

export function envString(variable: string, inner?: z.ZodType<string, string>): EnvSetting<string> {
  return setting(variable, inner ?? z.string());
}

/** Read as written, never echoed in a problem: passwords and tokens. */
export function envSecret(variable: string, inner?: z.ZodType<string, string>): EnvSetting<string> {
  return setting(variable, inner ?? z.string(), true);
}

/** One of a few words, e.g. a log level. */
export function envEnum<const T extends readonly [string, ...string[]]>(
  variable: string,
  values: T,
): EnvSetting<T[number]> {
  return setting(variable, z.enum(values) as unknown as z.ZodType<T[number], string>);
}

const integerText = z.string().transform((value, ctx) => {
  if (!/^-?\d+$/.test(value)) return refuse(ctx, 'integer');
  return Number(value);
});

/** A whole number (sign allowed; the limits come from `inner` or the config schema). */
export function envInt(variable: string, inner?: z.ZodType<number, number>): EnvSetting<number> {
  return setting(variable, inner ? integerText.pipe(inner) : integerText);
}

/**
 * A positive whole number written for people: 1000000, 1_000_000, 1,000,000 or 1e6 (the
 * benches' sizes).
 */
export function envCount(variable: string): EnvSetting<number> {
  return setting(
    variable,
    z.string().transform((value, ctx) => {
      const n = Number(value.replace(/[_,]/g, ''));
      if (!Number.isInteger(n) || n <= 0) return refuse(ctx, 'count');
      return n;
    }),
  );
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

export function envBool(variable: string): EnvSetting<boolean> {
  return setting(
    variable,
    z.string().transform((value, ctx) => {
      const v = value.toLowerCase();
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      return refuse(ctx, 'boolean');
    }),
  );
}

const splitList = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** Comma-separated words (addresses, e-mail addresses). */
export function envList(variable: string): EnvSetting<string[]> {
  return setting(variable, z.string().transform(splitList));
}

/** A JSON value (a list of call lines); its shape is checked by the config schema. */
export function envJson(variable: string): EnvSetting<unknown> {
  return setting(
    variable,
    z.string().transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return refuse(ctx, 'json');
      }
    }),
  );
}

/** Comma-separated whole numbers, e.g. retry delays in seconds. */
export function envIntList(variable: string): EnvSetting<number[]> {
  return setting(
    variable,
    z.string().transform((value, ctx) => {
      const parts = value.split(',').map((p) => p.trim());
      if (parts.some((p) => !/^\d+$/.test(p))) return refuse(ctx, 'integerList');
      return parts.map(Number);
    }),
  );
}

/**
 * Which proxies to trust: off (false), a hop count, or a list of addresses. "true" is refused:
 * it would believe any client's X-Forwarded-For.
 */
export function envTrustProxy(variable: string): EnvSetting<false | number | string[]> {
  return setting(
    variable,
    z.string().transform((value, ctx): false | number | string[] => {
      const v = value.toLowerCase();
      if (FALSE.includes(v)) return false;
      if (/^\d+$/.test(value)) return Number(value);
      if (TRUE.includes(v)) return refuse(ctx, 'trustAny');
      return splitList(value);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Reading

function isSetting(node: EnvSetting<unknown> | EnvSpec): node is EnvSetting<unknown> {
  return (node as EnvSetting<unknown>).kind === 'env-setting';
}

/** Each setting's path in the values ('workflow.maxAttempts') → its environment variable. */
export function envVariables(spec: EnvSpec, prefix = ''): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [key, node] of Object.entries(spec)) {
    if (isSetting(node)) names[`${prefix}${key}`] = node.variable;
    else Object.assign(names, envVariables(node, `${prefix}${key}.`));
  }
  return names;
}

/**
 * Reads a spec without judging the result as a whole: the values that could be read (unset
 * ones and empty groups left out) and a problem for each variable that could not.
 */
export function readEnv<S extends EnvSpec>(
  spec: S,
  env: EnvRecord,
  lang: EnvLanguage = 'en',
): { values: EnvValues<S>; problems: EnvProblem[] } {
  const problems: EnvProblem[] = [];
  const read = (node: EnvSpec): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) {
      if (!isSetting(child)) {
        const group = read(child);
        if (Object.keys(group).length > 0) out[key] = group;
        continue;
      }
      const raw = env[child.variable];
      const text = child.verbatim ? raw : raw?.trim();
      if (text === undefined || text === '') continue;
      const result = child.schema.safeParse(text);
      if (result.success) {
        out[key] = result.data;
        continue;
      }
      const issue = result.error.issues[0];
      const fromReader = issue?.code === 'custom' && issue.params?.reason !== undefined;
      problems.push({
        variable: child.variable,
        reason: issue ? reasonOf(issue, lang) : 'invalid',
        // The text is echoed only when it could not be read as its kind (never a secret's).
        ...(fromReader && !child.verbatim ? { value: text } : {}),
      });
    }
    return out;
  };
  return { values: read(spec) as EnvValues<S>, problems };
}

/** The problems of a zod result, each named by `name(path)` (e.g. its environment variable). */
export function problemsOf(
  error: z.ZodError,
  name: (path: string) => string,
  lang: EnvLanguage = 'en',
): EnvProblem[] {
  return error.issues.map((issue) => ({
    variable: name(issue.path.join('.')),
    reason: reasonOf(issue, lang),
  }));
}

/**
 * Reads a spec and, when given, checks the values against the consumer's schema (defaults,
 * limits, rules between settings). Throws an {@link EnvError} listing every bad variable.
 */
export function parseEnv<S extends EnvSpec, T = EnvValues<S>>(
  spec: S,
  env: EnvRecord,
  options: { title: string; lang?: EnvLanguage; schema?: z.ZodType<T, unknown> },
): T {
  const lang = options.lang ?? 'en';
  const { values, problems } = readEnv(spec, env, lang);
  if (options.schema === undefined) {
    if (problems.length > 0) throw new EnvError(options.title, problems, lang);
    return values as T;
  }
  const result = options.schema.safeParse(values);
  if (result.success && problems.length === 0) return result.data;
  const names = envVariables(spec);
  // An item of a list (trustProxy.1) or a field of a group is named by its nearest variable.
  const variableOf = (path: string): string => {
    for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const name = names[p];
      if (name !== undefined) return name;
    }
    return path === '' ? '(config)' : path;
  };
  const reported = new Set(problems.map((p) => p.variable));
  const later = result.success ? [] : problemsOf(result.error, variableOf, lang);
  throw new EnvError(
    options.title,
    [
      ...problems,
      // A variable that could not be read is reported once, for that.
      ...later.filter((p) => !reported.has(p.variable)),
    ],
    lang,
  );
}

/**
 * Runs several readers and reports all of their problems together (the desk reads its own
 * settings and its embedded API's). Errors other than {@link EnvError} pass through.
 */
export function collectEnvErrors<T extends readonly unknown[]>(
  title: string,
  lang: EnvLanguage,
  readers: { [K in keyof T]: () => T[K] },
): T {
  const problems: EnvProblem[] = [];
  const results = readers.map((read) => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  });
  if (problems.length > 0) throw new EnvError(title, problems, lang);
  return results as unknown as T;
}
