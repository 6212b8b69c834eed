import type { LightMyRequestResponse } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import type { SqlDialect } from '../../src/server/db/columns';
import type { ServerConfigInput } from '../../src/server/config';
import { bearer, createTestApp, createUser, login, type TestApp } from './server-app';
import type { Open311Options } from '../../src/server/open311/routes';

/** Elements the spec repeats: always arrays when parsed back, even when there is one. */
const REPEATED = new Set([
  'service',
  'request',
  'error',
  'attribute',
  'value',
  'endpoint',
  'format',
]);
const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name),
});

/** Parses an XML answer with the same library that wrote it; text stays text. */
export function parseXml(body: string): Record<string, unknown> {
  return parser.parse(body, true) as Record<string, unknown>;
}

/** A test app with the Open311 routes registered the way app.ts will register them. */
export function createOpen311App(
  kind: SqlDialect,
  options: Open311Options = {},
  overrides: ServerConfigInput = {},
): Promise<TestApp> {
  // buildApp registers the Open311 routes; the options arrive as server settings.
  return createTestApp(kind, {
    ...overrides,
    ...(options.postRateLimit ? { open311PostsPerMinute: options.postRateLimit.max } : {}),
    ...(options.publicUrl ? { open311PublicUrl: options.publicUrl } : {}),
  });
}

export interface Open311Fixture {
  adminToken: string;
  serviceUserId: string;
  apiKey: string;
  apiKeyId: string;
}

/** An admin, a service account for the web form and a key issued to it through the admin API. */
export async function setUpWebForm(t: TestApp): Promise<Open311Fixture> {
  await createUser(t, { username: 'yonetici', role: 'admin', orgCode: 'bikom' });
  const adminToken = (await login(t, 'yonetici')).accessToken;
  const serviceUserId = await createUser(t, {
    username: 'web-formu',
    role: 'agent',
    orgCode: 'bikom',
  });
  const { key, apiKey } = await issueKey(t, adminToken, serviceUserId, 'Belediye web formu');
  return { adminToken, serviceUserId, apiKey: key, apiKeyId: apiKey.id };
}

export async function issueKey(
  t: TestApp,
  adminToken: string,
  actingUserId: string,
  name = 'Web formu',
): Promise<{ key: string; apiKey: { id: string; keyPrefix: string } }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/admin/api-keys',
    headers: bearer(adminToken),
    payload: { name, actingUserId },
  });
  if (res.statusCode !== 201)
    throw new Error(`issuing a key failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A complete, valid web-form request; override or drop (`undefined`) fields per test. */
export function webForm(
  apiKey: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const form: Record<string, string | undefined> = {
    api_key: apiKey,
    service_code: 'temizlik.cop-toplanmadi',
    'attribute[ilce]': 'yildirim',
    'attribute[mahalle]': 'Değirmenönü',
    address_string: 'Ankara Yolu Cd. No: 12',
    lat: '40.1885',
    long: '29.0961',
    first_name: 'Ayşe',
    last_name: 'Işık',
    phone: '0532 123 45 67',
    email: 'ayse.isik@example.com',
    description: 'Sokağımızdaki çöpler üç gündür alınmadı.',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

export function postForm(
  t: TestApp,
  form: Record<string, string>,
  format: 'json' | 'xml' = 'json',
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: `/open311/v2/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

/** Open311 errors of a JSON answer. */
export function open311Errors(
  res: LightMyRequestResponse,
): { code: number; description: string }[] {
  const body = res.json<unknown>();
  if (!Array.isArray(body))
    throw new Error(`not an Open311 error list: ${res.statusCode} ${res.body}`);
  return body as { code: number; description: string }[];
}

export async function countRows(
  t: TestApp,
  table: 'sok' | 'sok_event' | 'notification',
): Promise<number> {
  const row = await t.backend.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
