/**
 * Helpers for bench/sync.bench.ts: the API in a child process (bench/sync-server.ts), and a
 * lightweight sync client that speaks the real wire protocol (login, push, pull, number blocks,
 * the live socket) over plain keep-alive HTTP, for the hundreds of bystander desks where a full
 * client core each (SQLite store, search index) would measure the load generator, not the API.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { SokDraft } from '../src/domain/sok';
import type { ServerConfig } from '../src/server/config';
import type {
  Mutation,
  NumberBlock,
  PullResponse,
  PushResponse,
  SokCreatePayload,
} from '../src/domain/sync';

// ---------------------------------------------------------------------------------------------
// The API process

export interface QueryStat {
  count: number;
  totalMs: number;
}

/** What the API process measured since the previous `stats()` call. */
export interface ServerStats {
  /** Queries by kind (first words of the SQL, e.g. `insert into "sok"`). */
  queries: Record<string, QueryStat>;
  /** Write-lock acquisitions: time waiting for the lock, and holding it until commit. */
  lockWaitMs: number[];
  lockHoldMs: number[];
  cpuUserMs: number;
  cpuSystemMs: number;
  /** The slowest instance of each query kind, with its parameters (for EXPLAIN ANALYZE). */
  slowest: Record<string, SlowQuery>;
}

export interface SlowQuery {
  text: string;
  values: unknown[];
  ms: number;
}

export type ServerMessage =
  | { type: 'ready'; url: string }
  | ({ type: 'stats' } & ServerStats)
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'stats' } | { type: 'close' };

/** What the API process tidies up if the parent dies without closing it. */
export interface OrphanCleanup {
  /** The benchmark database (alo153_t_…), dropped through `adminUrl`. */
  database: string;
  adminUrl: string;
  /** The benchmark's temporary directory (alo153-bench-sync-…). */
  dir: string;
}

export interface ApiProcess {
  url: string;
  pid: number;
  stats(): Promise<ServerStats>;
  /** Closes the server (gracefully, then SIGKILL after 10 s). Safe to call twice. */
  close(): Promise<void>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Forks bench/sync-server.ts (through tsx) with `config` and waits until it listens.
 * BENCH_SYNC_SERVER_NODE_OPTIONS adds node flags to it, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
 */
export async function startApiProcess(
  config: ServerConfig,
  orphanCleanup?: OrphanCleanup,
): Promise<ApiProcess> {
  const extra = (process.env.BENCH_SYNC_SERVER_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = fork(path.join(HERE, 'sync-server.ts'), [], {
    execArgv: ['--import', 'tsx', ...extra],
    env: {
      ...process.env,
      BENCH_SYNC_SERVER_CONFIG: JSON.stringify(config),
      ...(orphanCleanup ? { BENCH_SYNC_ORPHAN_CLEANUP: JSON.stringify(orphanCleanup) } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('API process did not start in 60 s')), 60_000);
    child.on('message', (m: ServerMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m.url);
      } else if (m.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`API process failed: ${m.message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API process exited with ${code} before it was ready`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });

  let closing: Promise<void> | null = null;
  return {
    url,
    pid: child.pid ?? 0,
    stats: () =>
      new Promise<ServerStats>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no stats from the API process')), 10_000);
        const onMessage = (m: ServerMessage) => {
          if (m.type !== 'stats') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve({
            queries: m.queries,
            lockWaitMs: m.lockWaitMs,
            lockHoldMs: m.lockHoldMs,
            cpuUserMs: m.cpuUserMs,
            cpuSystemMs: m.cpuSystemMs,
            slowest: m.slowest,
          });
        };
        child.on('message', onMessage);
        child.send({ type: 'stats' } satisfies ParentMessage);
      }),
    close: () =>
      (closing ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.connected) child.send({ type: 'close' } satisfies ParentMessage);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      })()),
  };
}

// ---------------------------------------------------------------------------------------------
// Keep-alive JSON over HTTP

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

/** JSON requests over one keep-alive agent (lighter than fetch for a load generator). */
export class JsonHttp {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

  constructor(readonly baseUrl: string) {}

  request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        `${this.baseUrl}${path}`,
        { method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(new HttpError(status, text, `${method} ${path}`));
              return;
            }
            try {
              resolve((text === '' ? undefined : JSON.parse(text)) as T);
            } catch (error) {
              reject(error as Error);
            }
          });
        },
      );
      req.on('error', reject);
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Users and lightweight sync clients

export interface BenchUser {
  username: string;
  displayName: string;
  password: string;
  role: 'agent' | 'desk' | 'supervisor' | 'admin';
  orgCode: string;
}

interface LoginAnswer {
  accessToken: string;
  user: { id: string; role: string; orgCode: string };
}

export async function login(
  api: JsonHttp,
  user: Pick<BenchUser, 'username' | 'password'>,
  clientId: string,
): Promise<LoginAnswer> {
  return api.request<LoginAnswer>('POST', '/auth/login', {
    username: user.username,
    password: user.password,
    clientId,
  });
}

/** Creates the first admin (POST /setup/admin) and returns an admin token. */
export async function setupAdmin(api: JsonHttp, admin: BenchUser): Promise<string> {
  await api.request('POST', '/setup/admin', {
    username: admin.username,
    displayName: admin.displayName,
    password: admin.password,
  });
  return (await login(api, admin, 'bench-admin-install')).accessToken;
}

/** Creates users through the admin API, `parallel` at a time. */
export async function createUsers(
  api: JsonHttp,
  adminToken: string,
  users: readonly BenchUser[],
  parallel = 8,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const u = users[next++] as BenchUser;
      await api.request('POST', '/admin/users', u, adminToken);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, users.length) }, worker));
}

/**
 * One desk as the API sees it: its own login and sync stream (clientId), pushing and pulling
 * with the real endpoints, optionally holding the live socket and pulling on every poke the way
 * the client core's SyncEngine does (one pull at a time; a poke during a pull means one more).
 */
export class LightClient {
  token = '';
  userId = '';
  private mutationId = 0;
  private numbers: number[] = [];
  cursor = 0;
  socket: WebSocket | null = null;
  /** Pull runs started because of pokes, and pulls (pages) made. */
  syncRuns = 0;
  pulls = 0;
  pulledChanges = 0;
  pullErrors = 0;
  /** Monotonic time (ms) the last poke arrived. */
  lastPokeAt = 0;
  onPoke: ((at: number) => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    readonly api: JsonHttp,
    readonly user: BenchUser,
    readonly clientId: string,
  ) {}

  async login(): Promise<void> {
    const answer = await login(this.api, this.user, this.clientId);
    this.token = answer.accessToken;
    this.userId = answer.user.id;
  }

  push(mutations: Mutation[]): Promise<PushResponse> {
    return this.api.request<PushResponse>('POST', '/sync/push', { mutations }, this.token);
  }

  /** The next mutation id of this stream. */
  nextMutationId(): number {
    return ++this.mutationId;
  }

  async leaseBlock(): Promise<NumberBlock> {
    const block = await this.api.request<NumberBlock>(
      'POST',
      '/sync/number-blocks',
      {},
      this.token,
    );
    for (let n = block.start; n <= block.endIncl; n++) this.numbers.push(n);
    return block;
  }

  /** A leased number, or null when none is left (the server then assigns one). */
  drawNumber(): number | null {
    return this.numbers.shift() ?? null;
  }

  get numbersLeft(): number {
    return this.numbers.length;
  }

  pull(cursor: number, limit = 1000): Promise<PullResponse> {
    return this.api.request<PullResponse>(
      'GET',
      `/sync/pull?cursor=${cursor}&limit=${limit}`,
      undefined,
      this.token,
    );
  }

  /** Pulls until the server has nothing more (what SyncEngine.pull does, minus the store). */
  async pullAll(): Promise<void> {
    for (;;) {
      const page = await this.pull(this.cursor);
      this.pulls++;
      this.pulledChanges += page.changes.length;
      this.cursor = page.cursor;
      if (!page.more) return;
    }
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Pull now, or once more after the pull in progress (coalescing like SyncEngine.kick). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.syncRuns++;
    this.running = this.pullAll()
      .catch(() => {
        this.pullErrors++;
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Opens GET /sync/live and pulls on every poke; resolves once the socket is open. */
  openLive(): Promise<void> {
    const url = `${this.api.baseUrl.replace(/^http/, 'ws')}/sync/live`;
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.token}` } });
    this.socket = ws;
    ws.on('message', (data: WebSocket.RawData) => {
      const at = Number(process.hrtime.bigint()) / 1e6;
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString()
        : Buffer.from(data as ArrayBuffer).toString();
      const poke = JSON.parse(text) as { type?: unknown };
      if (poke.type !== 'poke') return;
      this.lastPokeAt = at;
      this.onPoke?.(at);
      this.kick();
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  /** Waits for the pull in progress (and the one it may have queued). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  closeLive(): void {
    this.socket?.removeAllListeners();
    this.socket?.on('error', () => undefined);
    this.socket?.terminate();
    this.socket = null;
  }
}

/** A `sok.create` mutation payload for a draft, with a fresh id. */
export function createPayload(
  draft: SokDraft,
  id: string,
  regNo: string | null,
  at: Date,
): SokCreatePayload {
  // targetOrg null: the server routes it by its rules, as it does for a client that kept the
  // suggestion.
  return { ...draft, id, regNo, registeredAt: at.toISOString(), routeRuleId: null };
}
