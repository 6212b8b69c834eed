import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import {
  contract,
  pathOf,
  type AnyEndpoint,
  type ApiFile,
  type RequestOf,
  type ResponseOf,
} from '../../domain/api';
import {
  SessionUserSchema,
  TokensSchema,
  type SessionUser,
  type Tokens,
} from '../../domain/api/auth';
import type { WorkflowSettingsWire } from '../../domain/workflow-settings';
import type { RoutingRule } from '../../domain/routing';
import type { Mutation, NumberBlock, PullPage, PushResponse } from '../../domain/sync';
import { bindContract } from './endpoints';

export { SessionUserSchema, TokensSchema, type ApiFile, type SessionUser, type Tokens };

/** The API answered with an error (4xx/5xx). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly userMessage: string | undefined,
    readonly fields: Record<string, string> | undefined,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** The API could not be reached (offline, refused, timed out). */
export class NetworkFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkFailure';
  }
}

const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    userMessage: z.string().optional(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

/** What a session keeps of a sign-in: the tokens and the user (the token type is always Bearer). */
const LoginResponseSchema = TokensSchema.extend({ user: SessionUserSchema });

export interface StoredSession extends Tokens {
  user: SessionUser;
  clientId: string;
  /**
   * Signed in on this PC while the API was unreachable (offline-auth.ts): no tokens yet. The
   * first call to the API signs in online with the password kept in memory for that purpose.
   */
  offline?: true;
}

/** Where the session lives (encrypted by Electron's safeStorage on the desktop). */
export interface SessionStore {
  load(): StoredSession | null;
  save(session: StoredSession | null): void;
}

export interface ApiClientOptions {
  baseUrl: string;
  sessions: SessionStore;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /**
   * Called when the session ends for good (refresh refused, offline session not accepted): the
   * user must sign in again. `code` is the API's error code (e.g. token-revoked,
   * account-disabled), or `offline-needs-password`.
   */
  onSessionEnded?: (reason: string, code: string, user: SessionUser) => void;
  /** An offline session became an online one (signed in with the password kept in memory). */
  onSessionUpgraded?: (session: StoredSession, password: string) => void;
  /** Why an offline session that cannot be upgraded without the password ends. */
  offlineNeedsPasswordMessage?: string;
}

/**
 * HTTP client of the central API: JSON in and out, bearer token, one refresh-and-retry on an
 * expired access token, and errors split into "the API said no" and "the API is unreachable".
 */
export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  /** A first-sync seed is a big file: longest download before the desk pulls pages instead. */
  const SEED_TIMEOUT_MS = Math.max(timeoutMs, 10 * 60_000);
  const base = options.baseUrl.replace(/\/+$/, '');
  // One refresh at a time per refresh token (several calls may find the access token expired).
  let refreshing: { token: string; promise: Promise<StoredSession | null> } | null = null;
  // The password typed at an offline sign-in, in memory only, until the API takes it.
  let upgradeWith: { sessionId: string; password: string } | null = null;
  let upgrading: { sessionId: string; promise: Promise<StoredSession> } | null = null;

  async function raw(
    method: string,
    path: string,
    body: unknown,
    token: string | null,
    extraHeaders: Record<string, string> = {},
    onHeaders?: (headers: Headers) => void,
    requestTimeoutMs = timeoutMs,
    answerAs: 'json' | 'bytes' | 'response' = 'json',
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...extraHeaders,
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      throw new NetworkFailure(`${method} ${path}: ${(error as Error).message}`, { cause: error });
    }
    onHeaders?.(response.headers);
    if (response.status === 204 || response.status === 304) return undefined;
    // A file read as it comes (a first-sync seed): the caller consumes the body.
    if (response.ok && answerAs === 'response') return response;
    // A file (export, report) was asked for: hand back its bytes and how the server named it.
    if (response.ok && (extraHeaders.accept ?? 'application/json') !== 'application/json') {
      return {
        bytes: new Uint8Array(await response.arrayBuffer()),
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        disposition: response.headers.get('content-disposition') ?? '',
      } satisfies ApiFile;
    }
    // A JSON answer left unparsed, for a thread of the desk's own to read (a pulled page).
    if (response.ok && answerAs === 'bytes') {
      try {
        return new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        throw new NetworkFailure(`${method} ${path}: unreadable response`, { cause: error });
      }
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      if (response.ok)
        throw new NetworkFailure(`${method} ${path}: unreadable response`, { cause: error });
      json = null;
    }
    if (!response.ok) {
      const parsed = ErrorBodySchema.safeParse(json);
      // A server in trouble is, to the user, a server not reachable: retry later.
      if (response.status >= 500 || !parsed.success) {
        throw new NetworkFailure(`${method} ${path}: HTTP ${response.status}`);
      }
      const e = parsed.data.error;
      throw new ApiFailure(response.status, e.code, e.message, e.userMessage, e.fields);
    }
    return json;
  }

  async function refresh(session: StoredSession): Promise<StoredSession | null> {
    if (refreshing?.token === session.refreshToken) return refreshing.promise;
    const current: { token: string; promise: Promise<StoredSession | null> } = {
      token: session.refreshToken,
      promise: Promise.resolve(null),
    };
    current.promise = (async () => {
      try {
        const tokens = TokensSchema.parse(
          contract.auth.refresh.response.parse(
            await publicCall(contract.auth.refresh, {
              body: { refreshToken: session.refreshToken },
            }),
          ),
        );
        const next = { ...session, ...tokens };
        // Keep the renewed tokens only if nobody signed in or out while we asked.
        if (options.sessions.load()?.refreshToken === session.refreshToken)
          options.sessions.save(next);
        return next;
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 401) {
          // Only the session that was refused ends; someone may have signed in meanwhile.
          if (options.sessions.load()?.refreshToken === session.refreshToken) {
            options.sessions.save(null);
            options.onSessionEnded?.(error.userMessage ?? error.message, error.code, session.user);
          }
          return null;
        }
        throw error;
      } finally {
        if (refreshing === current) refreshing = null;
      }
    })();
    refreshing = current;
    return current.promise;
  }

  /**
   * Turns an offline session into an online one: signs in with the password typed offline. The
   * API unreachable: stays offline (NetworkFailure). The API refuses (wrong password now,
   * account deactivated): the session ends and the user is told; the outbox keeps their work.
   */
  async function upgrade(session: StoredSession): Promise<StoredSession> {
    if (upgrading?.sessionId === session.sessionId) return upgrading.promise;
    const end = (reason: string, code: string): never => {
      if (options.sessions.load()?.sessionId === session.sessionId) {
        options.sessions.save(null);
        upgradeWith = null;
        options.onSessionEnded?.(reason, code, session.user);
      }
      throw new ApiFailure(401, 'signed-out', `offline session ended: ${code}`, reason, undefined);
    };
    const current = { sessionId: session.sessionId, promise: Promise.resolve(session) };
    current.promise = (async () => {
      try {
        const password = upgradeWith?.sessionId === session.sessionId ? upgradeWith.password : null;
        if (password === null) {
          // The app was restarted since the offline sign-in: the password is gone.
          return end(
            options.offlineNeedsPasswordMessage ?? 'sign in again',
            'offline-needs-password',
          );
        }
        let res: z.infer<typeof LoginResponseSchema>;
        try {
          res = LoginResponseSchema.parse(
            contract.auth.login.response.parse(
              await publicCall(contract.auth.login, {
                body: { username: session.user.username, password, clientId: session.clientId },
              }),
            ),
          );
        } catch (error) {
          if (error instanceof ApiFailure && (error.status === 401 || error.status === 403)) {
            return end(error.userMessage ?? error.message, error.code);
          }
          throw error;
        }
        const next: StoredSession = { ...res, clientId: session.clientId };
        if (options.sessions.load()?.sessionId !== session.sessionId) {
          // Signed out (or someone else in) meanwhile: this sign-in is not wanted.
          throw new ApiFailure(401, 'signed-out', 'session changed', undefined, undefined);
        }
        options.sessions.save(next);
        upgradeWith = null;
        options.onSessionUpgraded?.(next, password);
        return next;
      } finally {
        if (upgrading === current) upgrading = null;
      }
    })();
    upgrading = current;
    return current.promise;
  }

  /** An authenticated call; refreshes the access token once if it has expired. */
  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    onHeaders?: (headers: Headers) => void,
    answerAs: 'json' | 'bytes' | 'response' = 'json',
    requestTimeoutMs = timeoutMs,
  ): Promise<unknown> {
    let session = options.sessions.load();
    if (!session) throw new ApiFailure(401, 'signed-out', 'not signed in', undefined, undefined);
    if (session.offline) session = await upgrade(session);
    const send = (token: string) =>
      raw(method, path, body, token, headers, onHeaders, requestTimeoutMs, answerAs);
    try {
      return await send(session.accessToken);
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.status !== 401) throw error;
      const renewed = await refresh(session);
      if (!renewed) throw error;
      return send(renewed.accessToken);
    }
  }

  /** A download asks for any type; the answer is then the file's bytes (see `raw`). */
  const acceptOf = (entry: AnyEndpoint): Record<string, string> =>
    entry.download ? { accept: '*/*' } : {};

  /** A route that needs no session (sign-in, first setup); the answer is not parsed yet. */
  function publicCall<E extends AnyEndpoint>(
    entry: E,
    input: RequestOf<E>,
    requestTimeoutMs?: number,
  ): Promise<unknown> {
    return raw(
      entry.method,
      pathOf(entry, input),
      input.body,
      null,
      acceptOf(entry),
      undefined,
      requestTimeoutMs,
    );
  }

  /**
   * Calls one route of the contract (domain/api) with the session's token: the path is built
   * from the entry and `input.params`/`input.query`, and the answer parsed by the entry's
   * response schema, so a server that drifted from the contract fails here, loudly.
   */
  async function request<E extends AnyEndpoint>(
    entry: E,
    input: RequestOf<E>,
  ): Promise<ResponseOf<E>> {
    const answer = await call(entry.method, pathOf(entry, input), input.body, acceptOf(entry));
    return (entry.response as z.ZodType<ResponseOf<E>>).parse(answer);
  }

  /** A conditional GET: the parsed answer and its ETag, or null when unchanged since `etag`. */
  async function requestIfChanged<E extends AnyEndpoint>(
    entry: E,
    etag: string | null,
  ): Promise<{ body: ResponseOf<E>; etag: string | null } | null> {
    let received: string | null = null;
    const answer = await call(
      entry.method,
      pathOf(entry),
      undefined,
      etag === null ? {} : { 'if-none-match': etag },
      (h) => (received = h.get('etag')),
    );
    if (answer === undefined) return null;
    return { body: (entry.response as z.ZodType<ResponseOf<E>>).parse(answer), etag: received };
  }

  return {
    ...bindContract(request),
    baseUrl: base,
    request,
    async setupStatus(): Promise<{ needsSetup: boolean; demoAvailable: boolean }> {
      return contract.setup.status.response.parse(await publicCall(contract.setup.status, {}));
    },
    /** The demo month on an empty embedded API: a minute or two of work on the server. */
    async setupDemo(): Promise<{ users: number; soks: number; calls: number }> {
      return contract.setup.demo.response.parse(
        await publicCall(contract.setup.demo, { body: {} }, 15 * 60_000),
      );
    },
    async setupAdmin(input: { username: string; displayName: string; password: string }) {
      contract.setup.admin.response.parse(await publicCall(contract.setup.admin, { body: input }));
    },
    async login(username: string, password: string, clientId: string): Promise<StoredSession> {
      const res = LoginResponseSchema.parse(
        contract.auth.login.response.parse(
          await publicCall(contract.auth.login, { body: { username, password, clientId } }),
        ),
      );
      const session: StoredSession = { ...res, clientId };
      options.sessions.save(session);
      upgradeWith = null;
      return session;
    },
    /**
     * Starts a session without the API (the password was checked against the local verifier);
     * `password` stays in memory to sign in online when the API answers again.
     */
    startOffline(user: SessionUser, clientId: string, password: string): StoredSession {
      const sessionId = `offline:${randomUUID()}`;
      const session: StoredSession = {
        sessionId,
        accessToken: '',
        accessExpiresAt: '',
        refreshToken: '',
        refreshExpiresAt: '',
        user,
        clientId,
        offline: true,
      };
      options.sessions.save(session);
      upgradeWith = { sessionId, password };
      return session;
    },
    async logout(): Promise<void> {
      upgradeWith = null;
      if (options.sessions.load()?.offline) {
        options.sessions.save(null);
        return;
      }
      try {
        await request(contract.auth.logout, {});
      } finally {
        options.sessions.save(null);
      }
    },
    push(mutations: Mutation[]): Promise<PushResponse> {
      return request(contract.sync.push, { body: { mutations } });
    },
    pull(cursor: number, limit: number): Promise<PullPage> {
      return request(contract.sync.pull, { query: { cursor, limit } });
    },
    /**
     * The same page as `pull`, its JSON left unparsed: the desk's store thread reads and checks
     * it (src/client/sync/store-thread.ts), so the UI's thread never parses a big page.
     */
    async pullBytes(cursor: number, limit: number): Promise<Uint8Array> {
      const entry = contract.sync.pull;
      const path = pathOf(entry, { query: { cursor, limit } });
      const answer = await call(entry.method, path, undefined, {}, undefined, 'bytes');
      if (!(answer instanceof Uint8Array)) throw new NetworkFailure(`GET ${path}: no page`);
      return answer;
    },
    /**
     * Downloads the caller's first-sync seed for a store of `format` into `file` (docs/sync.md,
     * "A first sync from a seed"), checking its length and SHA-256 as it comes; null when the
     * API has none (yet, or for that format). A failed or corrupt download leaves no file.
     */
    async seed(format: string, file: string): Promise<{ scope: string } | null> {
      const entry = contract.sync.seed;
      const path = pathOf(entry, { query: { format } });
      let answer: unknown;
      try {
        answer = await call(
          entry.method,
          path,
          undefined,
          { accept: 'application/vnd.sqlite3' },
          undefined,
          'response',
          SEED_TIMEOUT_MS,
        );
      } catch (error) {
        if (error instanceof ApiFailure && error.status === 404) return null;
        throw error;
      }
      if (!(answer instanceof Response)) throw new NetworkFailure(`GET ${path}: no seed`);
      const response = answer;
      const scope = response.headers.get('x-seed-scope');
      const sha256 = response.headers.get('x-seed-sha256');
      // The file's size as stored: it may come gzipped (fetch inflates it), so not content-length.
      const size = Number(response.headers.get('x-seed-size') ?? NaN);
      if (scope === null || sha256 === null || !Number.isInteger(size) || response.body === null)
        throw new NetworkFailure(`GET ${path}: not a seed`);
      const hash = createHash('sha256');
      let received = 0;
      try {
        await pipeline(
          Readable.fromWeb(response.body as WebReadableStream),
          new Transform({
            transform(chunk: Buffer, _encoding, done) {
              hash.update(chunk);
              received += chunk.length;
              done(null, chunk);
            },
          }),
          fs.createWriteStream(file),
        );
        if (received !== size || hash.digest('base64url') !== sha256)
          throw new Error(`${received} of ${size} bytes, or not the bytes the API sent`);
      } catch (error) {
        fs.rmSync(file, { force: true });
        throw new NetworkFailure(`GET ${path}: ${(error as Error).message}`, { cause: error });
      }
      return { scope };
    },
    /** The routing rules, or null when they have not changed since `etag`. */
    async routingRules(
      etag: string | null,
    ): Promise<{ rules: RoutingRule[]; etag: string | null } | null> {
      const fresh = await requestIfChanged(contract.routing.rules, etag);
      return fresh === null ? null : { rules: fresh.body.rules, etag: fresh.etag };
    },
    /** The callback workflow's settings, or null when unchanged since `etag`. */
    async workflowSettings(
      etag: string | null,
    ): Promise<{ settings: WorkflowSettingsWire; etag: string | null } | null> {
      const fresh = await requestIfChanged(contract.workflow.settings, etag);
      return fresh === null ? null : { settings: fresh.body, etag: fresh.etag };
    },
    leaseNumberBlock(): Promise<NumberBlock> {
      return request(contract.sync.leaseNumberBlock, { body: {} });
    },
    /** The current access token, refreshed if it is about to expire (for the live socket). */
    async accessToken(): Promise<string | null> {
      let session = options.sessions.load();
      if (!session) return null;
      if (session.offline) session = await upgrade(session);
      if (Date.parse(session.accessExpiresAt) - Date.now() > 30_000) return session.accessToken;
      return (await refresh(session))?.accessToken ?? null;
    },
  };
}
export type ApiClient = ReturnType<typeof createApiClient>;
