import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema';
import { currentChangeSeq } from '../db/write-lock';
import {
  assertCursor,
  ListenerSet,
  type ChangeListener,
  type ChangeNotifier,
  type NotifierLog,
} from './notifier';

export const CHANGE_CHANNEL = 'alo153_changes';
/** Sessions or users changed: drop cached sessions (payload unused). */
export const AUTH_CHANNEL = 'alo153_auth';

export interface PgNotifierOptions {
  connectionString: string;
  /** Used to publish (NOTIFY goes through the pool) and to read the cursor after a reconnect. */
  db: Kysely<Database>;
  log?: NotifierLog;
  reconnectDelayMs?: { min: number; max: number };
}

/**
 * LISTEN/NOTIFY across server instances sharing one PostgreSQL database. LISTEN needs a
 * connection of its own (a pooled one would be handed to other queries); when it drops, the
 * notifier reconnects with backoff and then emits the current cursor, standing in for any
 * notification missed meanwhile.
 */
export async function startPgChangeNotifier(options: PgNotifierOptions): Promise<ChangeNotifier> {
  const notifier = new PgChangeNotifier(options);
  await notifier.connect();
  return notifier;
}

class PgChangeNotifier implements ChangeNotifier {
  readonly #options: PgNotifierOptions;
  readonly #log: NotifierLog;
  readonly #listeners: ListenerSet;
  readonly #authListeners: ListenerSet;
  readonly #delays: { min: number; max: number };
  #client: pg.Client | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;
  #delay: number;

  constructor(options: PgNotifierOptions) {
    this.#options = options;
    this.#log = options.log ?? (() => undefined);
    this.#listeners = new ListenerSet(this.#log);
    this.#authListeners = new ListenerSet(this.#log);
    this.#delays = options.reconnectDelayMs ?? { min: 200, max: 10_000 };
    this.#delay = this.#delays.min;
  }

  async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      application_name: 'alo153-notifier',
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => {
      if (message.channel === AUTH_CHANNEL) {
        this.#authListeners.emit(0);
        return;
      }
      if (message.channel !== CHANGE_CHANNEL) return;
      const cursor = Number(message.payload);
      if (Number.isSafeInteger(cursor) && cursor >= 0) this.#listeners.emit(cursor);
      else this.#log('warn', `ignored malformed change notification: ${message.payload}`);
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANGE_CHANNEL}; listen ${AUTH_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#delay = this.#delays.min;
  }

  #lost(client: pg.Client, error?: Error): void {
    if (client !== this.#client) return;
    this.#client = null;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#authListeners.emit(0);
    this.#log('warn', 'change notification connection lost; reconnecting', error);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.#reconnect();
    }, this.#delay);
    this.#retry.unref();
  }

  async #reconnect(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.connect();
      if (this.#closed) return;
      this.#log('info', 'change notification connection restored');
      this.#authListeners.emit(0);
      this.#listeners.emit(await currentChangeSeq(this.#options.db));
    } catch (error) {
      this.#log('warn', 'reconnecting the change notification connection failed', error);
      this.#delay = Math.min(this.#delay * 2, this.#delays.max);
      if (this.#client === null) this.#scheduleReconnect();
    }
  }

  async publish(cursor: number): Promise<void> {
    assertCursor(cursor);
    await sql`select pg_notify(${CHANGE_CHANNEL}, ${String(cursor)})`.execute(this.#options.db);
  }

  subscribe(listener: ChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  async publishAuthChange(): Promise<void> {
    await sql`select pg_notify(${AUTH_CHANNEL}, '')`.execute(this.#options.db);
  }

  subscribeAuthChange(listener: () => void): () => void {
    return this.#authListeners.add(() => listener());
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#listeners.clear();
    this.#authListeners.clear();
    const client = this.#client;
    this.#client = null;
    if (client !== null) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
