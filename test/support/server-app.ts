import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildAppOptions } from '../../src/server/app';
import { PasswordHasher } from '../../src/server/auth/password';
import { insertUser } from '../../src/server/auth/users';
import type { ServerConfigInput } from '../../src/server/config';
import type { SqlDialect } from '../../src/server/db/columns';
import type { Role } from '../../src/server/db/schema';
import { InProcessChangeNotifier } from '../../src/server/changefeed/notifier';
import { readReferenceFile, seedReferenceData } from '../../src/server/reference-seed';
import { readRoutingFile, seedRoutingRules } from '../../src/server/routing/rules';
import { createTestBackend, type TestBackend } from './backends';

/** A clock tests move by hand, for token expiry and lockouts. */
export class FakeClock {
  #ms: number;

  constructor(start = Date.parse('2026-03-02T09:00:00.000Z')) {
    this.#ms = start;
  }

  readonly now = (): Date => new Date(this.#ms);

  advance(seconds: number): void {
    this.#ms += seconds * 1000;
  }
}

export interface TestApp {
  backend: TestBackend;
  app: FastifyInstance;
  clock: FakeClock;
  hasher: PasswordHasher;
  /** Closes the app and drops the backend. */
  close(): Promise<void>;
}

/** A built app (not listening) on a fresh backend with the reference data seeded. */
export async function createTestApp(
  kind: SqlDialect,
  overrides: ServerConfigInput = {},
  options: Pick<BuildAppOptions, 'extraRoutes' | 'logger'> = {},
): Promise<TestApp> {
  const backend = await createTestBackend(kind, overrides);
  await seedReferenceData(backend.db, readReferenceFile(backend.config.referenceFile));
  await seedRoutingRules(
    backend.db,
    readRoutingFile(backend.config.routingFile),
    '2026-03-02T08:00:00.000Z',
  );
  const clock = new FakeClock();
  const app = await buildApp({
    db: backend.db,
    notifier: new InProcessChangeNotifier(),
    config: backend.config,
    clock: clock.now,
    // Every answer a test provokes is checked against the HTTP contract (domain/api).
    checkResponses: true,
    ...options,
  });
  return {
    backend,
    app,
    clock,
    hasher: new PasswordHasher(backend.config.scrypt),
    close: async () => {
      await app.close();
      await backend.drop();
    },
  };
}

export const PASSWORD = 'doğru-parola-123';

export async function createUser(
  t: TestApp,
  input: { username: string; role?: Role; orgCode?: string; password?: string },
): Promise<string> {
  return insertUser(t.backend.db, {
    username: input.username,
    displayName: `Test ${input.username}`,
    passwordHash: await t.hasher.hash(input.password ?? PASSWORD),
    role: input.role ?? 'agent',
    orgCode: input.orgCode ?? 'bikom',
    now: t.clock.now().toISOString(),
  });
}

export interface LoginTokens {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: string;
  refreshExpiresAt: string;
}

export async function login(
  t: TestApp,
  username: string,
  password = PASSWORD,
  clientId: string = randomUUID(),
): Promise<LoginTokens> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username, password, clientId },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json<LoginTokens>();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The `error` object of an API error response. */
export function apiError(res: LightMyRequestResponse): {
  code: string;
  message: string;
  fields?: Record<string, string>;
  userMessage?: string;
  retryAt?: string;
} {
  const body = res.json<{ error?: unknown }>();
  if (typeof body.error !== 'object' || body.error === null) {
    throw new Error(`not an API error: ${res.statusCode} ${res.body}`);
  }
  return body.error as ReturnType<typeof apiError>;
}

/** A valid `sok.create` payload (a ŞÖK registered at BİKOM on 2 March 2026), with overrides. */
export const sokDraft = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  regNo: null,
  typeCode: 'sikayet',
  channelCode: 'telefon',
  topicCode: 'temizlik.cop-toplanmadi',
  districtCode: 'yildirim',
  mahalle: 'Değirmenönü',
  address: '',
  description: 'Çöp üç gündür alınmadı.',
  citizenName: 'Ayşe Işık',
  citizenPhone: '+905321234567',
  registeredAt: '2026-03-02T08:59:00.000Z',
  ...overrides,
});
