import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { Worker } from 'node:worker_threads';
import { retentionCutoffs } from '../../domain/kvkk';
import {
  SEED_PAGE_SCOPE,
  type SeedBuilderData,
  type SeedBuilderReply,
  type SeedBuilderRequest,
} from '../../domain/seed';
import type { ServerDb } from '../db/open';
import { readRetention } from '../kvkk/retention';
import { visibilityRule, type ScopeUser, type Visibility } from '../scope';
import { maskPersonalData } from './privacy-filter';
import { pullBody, serialisePullPage } from './pull-body';
import { readPullPage } from './pull-query';

/**
 * First-sync seeds (docs/sync.md, "A first sync from a seed"). A new desk's first sync stores
 * every ŞÖK of its scope with its search rows; done page by page on the desk that is one core's
 * work for minutes on a big scope. The API instead keeps, per scope, a desk store that has
 * pulled everything, built by the desk's own store code (the seed builder, a worker thread
 * started from its bundled file: the server never imports the desk's code), and a new desk
 * downloads it, copies it into its store, and pulls what came after.
 *
 * A seed is built the first time a desk of its scope asks (that desk pulls page by page
 * meanwhile), brought up to date from the previous one (copied, the pages since applied) when a
 * desk asks for one older than `refreshMs`, one build at a time. Files are immutable once served:
 * a refresh writes a new file and the old one is deleted when no download reads it.
 */

/** Starts the seed builder's worker with `data`. */
export type SpawnSeedBuilder = (data: SeedBuilderData) => Worker;

export interface SeedOptions {
  spawn: SpawnSeedBuilder;
  /** Where seed files are kept (a new temporary directory when absent, removed at close). */
  dir?: string | undefined;
  /** A seed older than this is brought up to date when next asked for. */
  refreshMs: number;
  /** A seed this many changes (of any scope) behind the head is brought up to date when asked for. */
  staleChanges: number;
  /** Changes per page fed to the builder. */
  pageSize: number;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: object) => void;
  now?: () => Date;
}

/** A finished seed: an immutable file. */
export interface Seed {
  file: string;
  size: number;
  /** SHA-256 of the file (base64url). */
  sha256: string;
  /** The same file gzipped (level 1), for desks that accept gzip, and its size. */
  gzipFile: string;
  gzipSize: number;
  /** The store format it was built for (src/client/sync/seed.ts, storeFormat). */
  format: string;
  /** Every change up to this cursor is in it. */
  cursor: number;
  soks: number;
  builtAt: number;
  /** Downloads reading the file now. */
  readers: number;
  retired: boolean;
}

/** A seed file's name (and its SQLite companions while it is built). */
const SEED_FILE = /^[0-9a-f]{16}-[0-9a-f-]{36}\.sqlite(-wal|-shm|-journal|\.gz)?$/;

/** Who a seed is for: the pull page cache's key without the cursor (routes.ts). */
export function seedKey(rule: Visibility, viewerOrg: string): string {
  return `${rule.kind === 'all' ? 'all' : `org:${rule.orgCode}`}:${viewerOrg}`;
}

export class SeedStore {
  private readonly seeds = new Map<string, Seed>();
  private readonly queue: { key: string; user: ScopeUser; rule: Visibility }[] = [];
  private readonly pending = new Set<string>();
  private readonly failedAt = new Map<string, number>();
  private running: Promise<void> | null = null;
  private worker: Worker | null = null;
  private closed = false;
  private readonly dir: string;
  private readonly ownDir: boolean;

  constructor(
    private readonly db: ServerDb,
    private readonly options: SeedOptions,
  ) {
    this.ownDir = options.dir === undefined;
    this.dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-seeds-'));
    fs.mkdirSync(this.dir, { recursive: true });
    // Seeds of an earlier run of this instance are not known any more: removed, built anew.
    for (const name of fs.readdirSync(this.dir)) {
      if (SEED_FILE.test(name)) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }

  /**
   * The seed for this reader's scope, if one is built; asks for one to be built (or brought up
   * to date) when there is none or it is old or far behind `head`. The caller reads the file between `open` and
   * `release`.
   */
  current(user: ScopeUser, head: number): Seed | null {
    const rule = visibilityRule(user);
    const key = seedKey(rule, user.orgCode);
    const seed = this.seeds.get(key) ?? null;
    const now = (this.options.now?.() ?? new Date()).getTime();
    if (
      seed === null ||
      now - seed.builtAt >= this.options.refreshMs ||
      head - seed.cursor >= this.options.staleChanges
    ) {
      this.request(key, user, rule);
    }
    return seed;
  }

  /** Builds the seed of this reader's scope now (the call centre's, when the API starts). */
  prepare(user: ScopeUser): void {
    const rule = visibilityRule(user);
    this.request(seedKey(rule, user.orgCode), user, rule);
  }

  open(seed: Seed): void {
    seed.readers++;
  }

  release(seed: Seed): void {
    seed.readers--;
    if (seed.retired && seed.readers === 0) removeSeedFiles(seed.file);
  }

  /** Resolves when no build is queued or running (tests, the bench). */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    await this.worker?.terminate();
    await this.running?.catch(() => undefined);
    if (this.ownDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private request(key: string, user: ScopeUser, rule: Visibility): void {
    if (this.closed || this.pending.has(key)) return;
    // A build that failed is not tried again for a refresh period (desks pull pages meanwhile).
    const failed = this.failedAt.get(key);
    if (failed !== undefined && Date.now() - failed < this.options.refreshMs) return;
    this.pending.add(key);
    this.queue.push({ key, user, rule });
    if (this.running === null) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
      try {
        if (!this.closed) await this.build(job.key, job.user, job.rule);
      } catch (error) {
        this.failedAt.set(job.key, Date.now());
        this.options.log('error', 'seed not built', { key: job.key, err: error });
      } finally {
        this.pending.delete(job.key);
      }
    }
  }

  /** Builds the key's seed (from its previous one, if any) and makes it current. */
  private async build(key: string, user: ScopeUser, rule: Visibility): Promise<void> {
    const started = Date.now();
    const base = this.seeds.get(key) ?? null;
    const name = createHash('sha256').update(key).digest('hex').slice(0, 16);
    const file = path.join(this.dir, `${name}-${randomUUID()}.sqlite`);
    const at = this.options.now?.() ?? new Date();
    // What a desk's first sync would store dropped (its KVKK period for closed ŞÖKs).
    const cutoff = retentionCutoffs(await readRetention(this.db), at).deskClosed;
    const data: SeedBuilderData = {
      file,
      base: base?.file ?? null,
      dropPersonal: { cutoff: cutoff.toISOString(), at: at.toISOString() },
    };
    if (base !== null) this.open(base);
    const worker = this.options.spawn(data);
    this.worker = worker;
    try {
      const builder = new BuilderPort(worker);
      let cursor = base?.cursor ?? 0;
      let pages = 0;
      for (;;) {
        if (this.closed) throw new Error('closed');
        const read = await readPullPage(this.db, rule, user, cursor, this.options.pageSize);
        const changes = await maskPersonalData(this.db, user.orgCode, read.changes);
        const body = pullBody(serialisePullPage({ ...read, changes }), SEED_PAGE_SCOPE).bytes;
        const stored = await builder.ask({ type: 'page', body: new Uint8Array(body) });
        if (stored.type !== 'stored') throw new Error('seed builder: unexpected answer');
        cursor = stored.cursor;
        pages++;
        if (!stored.more) break;
      }
      const finished = await builder.ask({ type: 'finish' });
      if (finished.type !== 'finished') throw new Error('seed builder: unexpected answer');
      // Nothing has ever changed (a new API): a seed would hold nothing a pull would not give at
      // once, so there is none, and the next request builds again.
      if (finished.cursor === 0) {
        removeSeedFiles(file);
        return;
      }
      // Gzipped once here (zlib on libuv's threads), hashed in the same read: a seed compresses
      // about 2.5 times, which is what a desk on a slow link waits for.
      const packed = await packSeed(file);
      const seed: Seed = {
        file,
        size: fs.statSync(file).size,
        sha256: packed.sha256,
        gzipFile: packed.gzipFile,
        gzipSize: packed.gzipSize,
        format: finished.format,
        cursor: finished.cursor,
        soks: finished.soks,
        builtAt: at.getTime(),
        readers: 0,
        retired: false,
      };
      this.seeds.set(key, seed);
      this.failedAt.delete(key);
      if (base !== null) base.retired = true;
      this.options.log('info', 'seed built', {
        key,
        soks: seed.soks,
        cursor: seed.cursor,
        bytes: seed.size,
        gzipBytes: seed.gzipSize,
        pages,
        from: base === null ? 'empty' : 'previous seed',
        ms: Date.now() - started,
      });
    } catch (error) {
      removeSeedFiles(file);
      throw error;
    } finally {
      this.worker = null;
      await worker.terminate();
      if (base !== null) this.release(base);
    }
  }
}

/** Requests to a builder, one at a time; its failure (an error reply, its exit) rejects. */
class BuilderPort {
  private nextId = 1;
  private waiting: {
    resolve: (reply: SeedBuilderReply) => void;
    reject: (error: Error) => void;
  } | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: SeedBuilderReply) => {
      const waiting = this.waiting;
      this.waiting = null;
      if (reply.type === 'error') waiting?.reject(new Error(`seed builder: ${reply.message}`));
      else waiting?.resolve(reply);
    });
    const fail = (error: Error) => {
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`seed builder exited (${code})`)));
  }

  ask(request: { type: 'page'; body: Uint8Array } | { type: 'finish' }): Promise<SeedBuilderReply> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      const message = { ...request, id: this.nextId++ } as SeedBuilderRequest;
      if (message.type === 'page')
        this.worker.postMessage(message, [message.body.buffer as ArrayBuffer]);
      else this.worker.postMessage(message);
    });
  }
}

/** Removes a seed's file, its gzipped copy and SQLite's companions of an unfinished build. */
function removeSeedFiles(file: string): void {
  for (const suffix of ['', '.gz', '-wal', '-shm', '-journal'])
    fs.rmSync(`${file}${suffix}`, { force: true });
}

/** Writes `file`.gz (gzip level 1) and hashes `file`, in one read. */
async function packSeed(
  file: string,
): Promise<{ sha256: string; gzipFile: string; gzipSize: number }> {
  const hash = createHash('sha256');
  const gzipFile = `${file}.gz`;
  await pipeline(
    fs.createReadStream(file),
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    }),
    zlib.createGzip({ level: 1 }),
    fs.createWriteStream(gzipFile),
  );
  return { sha256: hash.digest('base64url'), gzipFile, gzipSize: fs.statSync(gzipFile).size };
}
