import fc from 'fast-check';
import type { FastifySchema, HTTPMethods, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { sql, type Selectable } from 'kysely';
import type { AppUserTable } from '../db/schema';
import { setUpWebForm, type Open311Fixture } from '../../../test/support/open311';
import {
  bearer,
  createTestApp,
  createUser,
  login,
  sokDraft,
  type TestApp,
} from '../../../test/support/server-app';
import { forEachBackend } from '../../../test/support/backends';
import { routesOf, type CataloguedRoute } from './route-catalogue';

/**
 * Property-based fuzzing of the whole central API (issue #12, item 9). Every route the app
 * registers (read from the route catalogue, so a new route is fuzzed the day it is added) gets
 * requests generated from its zod schemas and hostile mutations of them — wrong types, control
 * characters, lone surrogates, huge strings and arrays, 10,000-level nesting, truncated and
 * malformed bodies, wrong content types, bad query strings and path segments, unknown methods —
 * as every role and as nobody, on both backends. It fails on any 5xx, and on any refused
 * request (4xx) that changed a row in any table (a partial write).
 *
 * Bounded: ALO153_FUZZ_RUNS requests per backend (default 900, plus one probe per route and caller). ALO153_FUZZ_SEED replays a
 * failing run (the failure message gives it); ALO153_FUZZ_DEBUG=1 prints every request.
 */
const RUNS = Number(process.env.ALO153_FUZZ_RUNS ?? 900);
const SEED =
  process.env.ALO153_FUZZ_SEED === undefined
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.ALO153_FUZZ_SEED);

type Who = 'nobody' | 'agent' | 'desk' | 'supervisor' | 'admin' | 'garbage';
const WHO: readonly Who[] = ['nobody', 'agent', 'desk', 'supervisor', 'admin', 'garbage'];

interface FuzzRequest {
  method: string;
  url: string;
  who: Who;
  headers: Record<string, string>;
  payload?: string;
  /** What kind of input this is, for the failure report. */
  label: string;
}

// ------------------------------------------------------------------ hostile material

const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedValue = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i += 1) v = { a: v };
  return v;
};

/** Characters the text rule refuses, put into otherwise plausible strings. */
const HOSTILE_CHARACTERS = ['\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\ud800', '\udfff'];

const HOSTILE_LEAVES: readonly unknown[] = [
  '\u0000',
  'Ayşe\u0000Işık',
  '\u0007\u001b[2J',
  '\u007f\u0085',
  '\ud800',
  'x\udfffy',
  '',
  ' ',
  '\r\n\r\n',
  'x'.repeat(100_000),
  '😀'.repeat(500),
  'ı'.repeat(65),
  '%00',
  "'; drop table sok; --",
  '../../etc/passwd',
  '0000-01-01',
  '9999-12-31',
  '9999-12',
  '0000-01',
  '2026-02-30',
  '9999-12-31T23:59:59.999Z',
  '-000001-01-01T00:00:00Z',
  -1,
  0,
  1.5,
  -0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  9_999_999_999,
  true,
  false,
  null,
  {},
  [],
  Array.from({ length: 10_000 }, () => 0),
  Array.from({ length: 2_000 }, () => ({ a: 'x' })),
  nestedValue(200),
];

/** Raw bodies that no schema sees: the parsers and limits must refuse them cleanly. */
const RAW_BODIES: readonly [string, string][] = [
  ['application/json', '{"a":'],
  ['application/json', '{bad json}'],
  ['application/json', ''],
  ['application/json', 'null'],
  ['application/json', '"\\u0000"'],
  ['application/json', '"\\ud800"'],
  ['application/json', deepArray(10_000)],
  ['application/json', deepObject(10_000)],
  [
    'application/json',
    `{"mutations":[{"id":1,"kind":"sok.create","payload":${deepObject(10_000)}}]}`,
  ],
  ['application/json', '{"__proto__":{"polluted":1}}'],
  ['application/json', '{"constructor":{"prototype":{"polluted":1}}}'],
  ['application/json', '{"a":1,"a":2}'],
  ['application/json', '1e999999'],
  ['application/json', '\uFEFF{}'],
  ['application/json; charset=utf-16', '{}'],
  ['text/plain', 'hello'],
  ['application/xml', '<a>1</a>'],
  [
    'multipart/form-data; boundary=x',
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  ],
  ['application/x-www-form-urlencoded', 'a=%E0%A4%A&b=%00&c=%ED%A0%80&d[e][f]=1'],
  ['application/x-www-form-urlencoded', 'x'.repeat(50_000)],
  ['application/octet-stream', '\u0000\u0001\u0002'],
  ['', '{}'],
];

const HOSTILE_QUERIES: readonly string[] = [
  '%',
  'a=%E0%A4%A',
  'a=%00',
  'a=%ED%A0%80',
  'a[b][c]=1',
  'limit=-1&limit=2',
  'cursor=1e309',
  'cursor=-1',
  'limit=99999999999999999999',
  'month=9999-12',
  'month=0000-01',
  'from=0000-01-01&to=9999-12-31',
  'from=2026-03-01&to=2026-02-01',
  `q=${'a'.repeat(20_000)}`,
  '&&&==&',
  '__proto__[x]=1',
];

const HOSTILE_SEGMENTS: readonly string[] = [
  '%00',
  '%ED%A0%80',
  '%',
  '..%2F..%2Fetc',
  'a'.repeat(3_000),
  '%20',
  '0',
  '-1',
  '9999999999999999999999',
  '5b0f3c1e-8a51-4b7e-9a53-0c8d6e1f2a3b',
];

const ODD_METHODS = ['PROPFIND', 'TRACE', 'CONNECT', 'SEARCH', 'PURGE'] as const;

// ------------------------------------------------------------------ inputs from the schemas

type JsonSchema = { [key: string]: unknown } | boolean | undefined;

function jsonSchemaOf(schema: unknown): JsonSchema {
  if (schema === undefined || schema === null) return undefined;
  try {
    return z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as {
      [key: string]: unknown;
    };
  } catch {
    return true;
  }
}

const TURKISH_UNITS =
  'abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ0123456789 .-_'.split('');

/** Values a schema accepts (mostly), so requests get past validation into the handlers. */
function arbitraryFor(schema: JsonSchema, known: KnownValues, depth = 0): fc.Arbitrary<unknown> {
  if (schema === undefined || schema === true || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (schema === false) return fc.constant(undefined);
  const s = schema;
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union.length > 0) {
    return fc.oneof(...union.map((u) => arbitraryFor(u, known, depth + 1)));
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    return arbitraryFor(s.allOf[0] as JsonSchema, known, depth + 1);
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string | undefined];
  if (types.length > 1) {
    return fc.oneof(...types.map((type) => arbitraryFor({ ...s, type }, known, depth)));
  }
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = typeof s.minimum === 'number' ? Math.max(s.minimum, -1e9) : -10;
      const max = typeof s.maximum === 'number' ? Math.min(s.maximum, 1e9) : 1000;
      return fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) });
    }
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1000;
      const max = typeof s.maximum === 'number' ? s.maximum : 1000;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string':
      return stringFor(s, known);
    case 'array': {
      const maxLength = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, 4);
      const minLength = Math.min(typeof s.minItems === 'number' ? s.minItems : 0, maxLength);
      return fc.array(arbitraryFor(s.items as JsonSchema, known, depth + 1), {
        minLength,
        maxLength,
      });
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) {
        model[key] = arbitraryFor(value, known, depth + 1);
      }
      if (Object.keys(model).length === 0) {
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), {
          maxKeys: 3,
        });
      }
      return fc.record(model, { requiredKeys: (s.required ?? []) as string[] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(s: { [key: string]: unknown }, known: KnownValues): fc.Arbitrary<string> {
  const maxLength = Math.min(typeof s.maxLength === 'number' ? s.maxLength : 40, 80);
  const minLength = Math.min(typeof s.minLength === 'number' ? s.minLength : 0, maxLength);
  switch (s.format) {
    case 'uuid':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known.ids) }, fc.uuid());
    case 'date-time':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.webUrl();
  }
  if (typeof s.pattern === 'string') {
    try {
      const matching = fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= 200);
      // Boundary values too: the pattern allows year 0000 and 9999, the calendar may not.
      return fc.oneof(
        { weight: 3, arbitrary: matching },
        {
          weight: 1,
          arbitrary: fc
            .tuple(matching, fc.constantFrom('0000', '9999'))
            .map(([v, year]) => v.replace(/\d{4}/, year)),
        },
      );
    } catch {
      // fall through
    }
  }
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.string({ unit: fc.constantFrom(...TURKISH_UNITS), minLength, maxLength }),
    },
    { weight: 1, arbitrary: fc.constantFrom(...known.codes) },
  );
}

interface KnownValues {
  /** Real ids (ŞÖKs, users), so some requests reach past "not found". */
  ids: string[];
  /** Real codes (organisations, topics, districts). */
  codes: string[];
}

/** Replaces one leaf (or the whole value) by a hostile one, drops a key or adds an unknown one. */
function mutate(value: unknown, hostile: unknown, pick: number, how: number): unknown {
  if (how === 0 || value === null || typeof value !== 'object') return hostile;
  const copy = structuredClone(value) as Record<string, unknown> | unknown[];
  const keys = Object.keys(copy);
  if (how === 1) {
    (copy as Record<string, unknown>)[`unknown_${pick % 7}`] = hostile;
    return copy;
  }
  if (keys.length === 0) return hostile;
  const key = keys[pick % keys.length]!;
  if (how === 2) {
    delete (copy as Record<string, unknown>)[key];
    return copy;
  }
  const inner = (copy as Record<string, unknown>)[key];
  (copy as Record<string, unknown>)[key] =
    inner !== null && typeof inner === 'object' && pick % 2 === 0
      ? mutate(inner, hostile, Math.floor(pick / 2), how)
      : hostile;
  return copy;
}

function partsOf(schema: FastifySchema | undefined) {
  return {
    body: jsonSchemaOf(schema?.body),
    querystring: jsonSchemaOf(schema?.querystring),
    params: jsonSchemaOf(schema?.params),
  };
}

/** Percent-encodes like encodeURIComponent, but sends half a surrogate pair as its raw bytes. */
function encodeSegment(value: string): string {
  return value
    .split(/(\p{Cs})/u)
    .map((part) => (/^\p{Cs}$/u.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

function fillPath(url: string, params: Record<string, unknown> | undefined): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const value = params?.[name];
    return encodeSegment(typeof value === 'string' ? value : JSON.stringify(value ?? 'x'));
  });
}

function queryString(query: unknown): string {
  if (query === null || typeof query !== 'object') return '';
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (v === undefined) continue;
    // URLSearchParams cannot encode half a surrogate pair; such a value goes as U+FFFD.
    search.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function requestsFor(
  route: CataloguedRoute,
  known: KnownValues,
  allowed: readonly Who[],
): fc.Arbitrary<FuzzRequest> {
  const parts = partsOf(route.schema);
  const body = arbitraryFor(parts.body ?? {}, known);
  const query =
    parts.querystring === undefined
      ? fc.constant(undefined)
      : arbitraryFor(parts.querystring, known);
  const params = arbitraryFor(parts.params ?? {}, known) as fc.Arbitrary<Record<string, unknown>>;
  // Mostly as someone the route lets in, so the input reaches the handler; sometimes anyone.
  const who =
    allowed.length > 0
      ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...allowed) }, fc.constantFrom(...WHO))
      : fc.constantFrom(...WHO);
  // A plausible text with one refused character in it, or anything else hostile.
  const hostile = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(...HOSTILE_CHARACTERS).map((c) => `Ayşe ${c}Işık 2026-03-02`),
    },
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_LEAVES) },
  );
  const sendsBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(route.method);
  const partsPresent = (
    [
      ['body', parts.body !== undefined && sendsBody],
      ['query', parts.querystring !== undefined],
      ['params', parts.params !== undefined],
    ] as const
  )
    .filter(([, present]) => present)
    .map(([part]) => part);
  if (partsPresent.length === 0) partsPresent.push(sendsBody ? 'body' : 'query');

  const json = (value: unknown) => {
    try {
      return JSON.stringify(value);
    } catch {
      return '{}';
    }
  };
  const withBody = (b: unknown): Pick<FuzzRequest, 'headers' | 'payload'> =>
    sendsBody && b !== undefined
      ? { headers: { 'content-type': 'application/json' }, payload: json(b) }
      : { headers: {} };

  const fromSchema = fc
    .record({ body, query, params, who })
    .map(({ body: b, query: q, params: p, who: w }): FuzzRequest => ({
      method: route.method,
      url: `${fillPath(route.url, p)}${queryString(q)}`,
      who: w,
      ...withBody(b),
      label: 'from its schema',
    }));

  const mutated = fc
    .record({
      body,
      query,
      params,
      who,
      hostile,
      pick: fc.nat(1000),
      // Mostly a leaf replaced (deepest effect); sometimes the whole value, a key dropped or added.
      how: fc.oneof({ weight: 6, arbitrary: fc.constant(3) }, fc.nat(2)),
      part: fc.constantFrom(...partsPresent),
    })
    .map(({ body: b, query: q, params: p, who: w, hostile: h, pick, how, part }): FuzzRequest => {
      const mb = part === 'body' ? mutate(b ?? {}, h, pick, how) : b;
      const mq = part === 'query' ? mutate(q ?? {}, h, pick, how) : q;
      const mp =
        part === 'params' ? (mutate(p, h, pick, Math.max(how, 3)) as Record<string, unknown>) : p;
      return {
        method: route.method,
        url: `${fillPath(route.url, mp)}${queryString(mq)}`,
        who: w,
        ...withBody(mb),
        label: `hostile ${part}`,
      };
    });

  const raw = fc
    .record({ body: fc.constantFrom(...RAW_BODIES), params, who })
    .map(({ body: [type, text], params: p, who: w }): FuzzRequest => ({
      method: sendsBody ? route.method : 'POST',
      url: fillPath(route.url, p),
      who: w,
      headers: type === '' ? {} : { 'content-type': type },
      payload: text,
      label: `raw body ${type}`,
    }));

  const badQuery = fc
    .record({ q: fc.constantFrom(...HOSTILE_QUERIES), params, who })
    .map(({ q, params: p, who: w }): FuzzRequest => ({
      method: route.method,
      url: `${fillPath(route.url, p)}?${q}`,
      who: w,
      headers: {},
      label: 'hostile query string',
    }));

  const badSegment = fc
    .record({ segment: fc.constantFrom(...HOSTILE_SEGMENTS), who })
    .map(({ segment, who: w }): FuzzRequest => ({
      method: route.method,
      url: route.url.includes(':')
        ? route.url.replace(/:(\w+)/g, segment)
        : `${route.url}/${segment}`,
      who: w,
      headers: {},
      label: 'hostile path segment',
    }));

  const oddMethod = fc
    .record({ method: fc.constantFrom(...ODD_METHODS), params, who })
    .map(({ method, params: p, who: w }): FuzzRequest => ({
      method,
      url: fillPath(route.url, p),
      who: w,
      headers: {},
      label: 'unknown method',
    }));

  return fc.oneof(
    { weight: 4, arbitrary: fromSchema },
    { weight: 5, arbitrary: mutated },
    { weight: sendsBody ? 2 : 1, arbitrary: raw },
    { weight: 1, arbitrary: badQuery },
    { weight: 1, arbitrary: badSegment },
    { weight: 1, arbitrary: oddMethod },
  );
}

// ------------------------------------------------------------------ the database, to the row

type Snapshot = Map<string, string>;

/** Columns a refused request may legitimately change: remembering failed sign-ins is the point. */
const MAY_CHANGE_ON_REFUSAL: Record<string, readonly string[] | 'all'> = {
  login_throttle: 'all',
  auth_throttle: 'all',
  app_user: ['failed_logins', 'locked_until', 'updated_at'],
};

/**
 * A fingerprint of every table in one round trip, so it can be taken after every request: its
 * row count and, on PostgreSQL, the sum of a hash of every row; on SQLite (in-process, no hash
 * function) the sum of every value's length and each column's largest value.
 */
function fingerprintQuery(
  kind: 'sqlite' | 'postgres',
  tables: readonly { name: string; columns: string[] }[],
) {
  const q = (name: string) => `"${name}"`;
  const parts = tables.flatMap(({ name, columns }) => {
    const skip = MAY_CHANGE_ON_REFUSAL[name];
    if (skip === 'all') return [];
    const kept = columns.filter((c) => !(skip ?? []).includes(c));
    if (kind === 'postgres') {
      // A hash of each row's text, summed: one cheap expression per table.
      const row = kept.map((c) => `coalesce(${q(c)}::text, '∅')`).join(" || '|' || ");
      return [
        `select '${name}' as t, count(*) as n, coalesce(sum(hashtext(${row})::numeric), 0)::text as l, '' as m from ${q(name)}`,
      ];
    }
    const lengths = kept.map((c) => `coalesce(sum(length(cast(${q(c)} as text))), 0)`).join(' + ');
    const maxima = kept.map((c) => `coalesce(max(cast(${q(c)} as text)), '')`).join(" || '|' || ");
    return [
      `select '${name}' as t, count(*) as n, ${lengths || '0'} as l, ${maxima || "''"} as m from ${q(name)}`,
    ];
  });
  return sql.raw(parts.join(' union all '));
}

let snapshotMs = 0;
async function snapshot(t: TestApp, query: ReturnType<typeof fingerprintQuery>): Promise<Snapshot> {
  const t0 = performance.now();
  const { rows } = await query.execute(t.backend.db);
  snapshotMs += performance.now() - t0;
  return new Map(
    (rows as { t: string; n: unknown; l: unknown; m: unknown }[]).map((r) => [
      r.t,
      `${String(r.n)} rows, ${String(r.l)} chars, max ${String(r.m)}`,
    ]),
  );
}

function differences(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const [table, now] of after) {
    const was = before.get(table);
    if (was !== now) changed.push(`${table}: ${was?.slice(0, 60)} → ${now.slice(0, 60)}`);
  }
  return changed;
}

async function tablesOf(t: TestApp): Promise<{ name: string; columns: string[] }[]> {
  const tables = await t.backend.db.introspection.getTables();
  return tables
    .filter((table) => !table.name.startsWith('kysely_'))
    .map((table) => ({ name: table.name, columns: table.columns.map((c) => c.name) }));
}

// ------------------------------------------------------------------ the run

/** Routes after whose success the callers' sessions or accounts may have changed. */
const mayChangeAccounts = (route: CataloguedRoute) =>
  ['/auth/logout', '/auth/password', '/admin/users'].some((prefix) => route.url.startsWith(prefix));

forEachBackend('fuzzing every route of the central API', (kind) => {
  let t: TestApp;
  let f: Open311Fixture;
  const tokens = new Map<Who, string>();
  let signIns = 0;
  const known: KnownValues = { ids: [], codes: [] };
  const usernames: Record<Exclude<Who, 'nobody' | 'garbage' | 'admin'>, [string, string]> = {
    agent: ['fz-ajan', 'bikom'],
    desk: ['fz-masa', 'ilce.yildirim'],
    supervisor: ['fz-sup', 'bikom'],
  };

  let accounts: Selectable<AppUserTable>[] = [];
  /**
   * Fresh tokens for every caller. The fuzz may have signed them out, changed their password,
   * role or organisation, or deactivated them (admin routes with real ids): put the accounts
   * back as they were first.
   */
  const signInAll = async () => {
    signIns += 1;
    for (const account of accounts) {
      await t.backend.db
        .updateTable('app_user')
        .set({ ...account, failed_logins: 0, locked_until: null })
        .where('id', '=', account.id)
        .execute();
    }
    for (const [role, [username]] of Object.entries(usernames)) {
      tokens.set(role as Who, (await login(t, username)).accessToken);
    }
    tokens.set('admin', (await login(t, 'yonetici')).accessToken);
    tokens.set('garbage', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
  };

  beforeAll(async () => {
    t = await createTestApp(kind, { open311PostsPerMinute: 100_000 });
    f = await setUpWebForm(t);
    for (const [role, [username, orgCode]] of Object.entries(usernames)) {
      known.ids.push(
        await createUser(t, { username, role: role as 'agent' | 'desk' | 'supervisor', orgCode }),
      );
    }
    known.ids.push(f.serviceUserId, f.apiKeyId);
    accounts = await t.backend.db.selectFrom('app_user').selectAll().execute();
    await signInAll();
    // A ŞÖK routed to Yıldırım, so ids in the generated requests sometimes name a real one.
    const sok = sokDraft({ topicCode: 'yol.cukur' });
    const pushed = await t.app.inject({
      method: 'POST',
      url: '/sync/push',
      headers: bearer(tokens.get('agent')!),
      payload: { mutations: [{ id: 1, kind: 'sok.create', payload: sok }] },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    known.ids.push(sok.id);
    known.codes.push('bikom', 'ilce.yildirim', 'bb.fen-isleri', 'yol.cukur', 'yildirim', 'sikayet');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers no request with a 5xx, and a refused request writes nothing', async () => {
    const routes = routesOf(t.app);
    expect(routes.length).toBeGreaterThan(40);
    const fingerprint = fingerprintQuery(kind, await tablesOf(t));
    let current = await snapshot(t, fingerprint);
    const failures: string[] = [];
    const seen = new Map<string, number>();
    let sent = 0;
    let injectMs = 0;

    const send = async (request: FuzzRequest): Promise<LightMyRequestResponse> => {
      const token = tokens.get(request.who);
      const headers = { ...request.headers, ...(token !== undefined ? bearer(token) : {}) };
      return t.app.inject({
        method: request.method as HTTPMethods,
        url: request.url,
        headers,
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      });
    };

    const started = performance.now();
    snapshotMs = 0;
    // Who gets past authentication and the role check on each route (an empty request).
    const allowedOn = new Map<CataloguedRoute, Who[]>();
    for (const route of routes) {
      const allowed: Who[] = [];
      for (const who of WHO) {
        sent += 1;
        const res = await send({
          method: route.method,
          url: fillPath(route.url, {}),
          who,
          headers: {},
          label: 'probe',
        });
        if (res.statusCode >= 500)
          failures.push(`${res.statusCode} probe ${route.method} ${route.url} as ${who}`);
        if (res.statusCode !== 401 && res.statusCode !== 403) allowed.push(who);
        if (res.statusCode < 400 && mayChangeAccounts(route)) await signInAll();
      }
      allowedOn.set(route, allowed);
    }
    await signInAll();
    current = await snapshot(t, fingerprint);

    const perRoute = Math.max(8, Math.ceil(RUNS / routes.length));
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(requestsFor(route, known, allowedOn.get(route) ?? []), async (request) => {
          sent += 1;
          const t0 = performance.now();
          const res = await send(request);
          injectMs += performance.now() - t0;
          const where = `${route.method} ${route.url} as ${request.who}, ${request.label}: ${request.method} ${request.url.slice(0, 160)} ${request.payload?.slice(0, 160) ?? ''}`;
          if (process.env.ALO153_FUZZ_DEBUG) {
            console.info(
              `${res.statusCode} ${request.who} ${request.label} ${request.method} ${request.url.slice(0, 100)} ${request.payload?.slice(0, 100) ?? ''}`,
            );
          }
          if (res.statusCode >= 500) {
            const key = `${route.method} ${route.url} ${request.label}`;
            seen.set(key, (seen.get(key) ?? 0) + 1);
            if (seen.get(key) === 1)
              failures.push(`${res.statusCode} ${where} → ${res.body.slice(0, 200)}`);
          }
          if (res.statusCode >= 400) {
            const after = await snapshot(t, fingerprint);
            const changed = differences(current, after);
            if (changed.length > 0) failures.push(`partial write ${changed.join(', ')}: ${where}`);
            current = after;
          } else {
            if (mayChangeAccounts(route)) await signInAll();
            current = await snapshot(t, fingerprint);
          }
        }),
        { numRuns: perRoute, seed: SEED, endOnFailure: true },
      );
    }
    console.info(
      `fuzz [${kind}]: ${sent} requests over ${routes.length} routes in ${Math.round(performance.now() - started)} ms (${Math.round(injectMs)} ms in the API, ${Math.round(snapshotMs)} ms fingerprinting, ${signIns} sign-ins)`,
    );
    expect(sent).toBeGreaterThanOrEqual(Math.min(RUNS, routes.length * 8));
    expect(failures, `ALO153_FUZZ_SEED=${SEED}\n${failures.join('\n')}`).toEqual([]);
  }, 600_000);
});
