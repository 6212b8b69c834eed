import fs from 'node:fs';
import { ImapFlow } from 'imapflow';
import type { ServerDb } from '../db/open';
import type { MailboxConfig, MailboxSettings } from './config';
import { tryLockMailbox, type MailboxLock } from './lock';
import { parseMessage, quarantined, type ParsedMessage } from './parse';
import { LockLostError, readCheckpoint, takeMessage, type TakeOutcome } from './store';

export type MailboxLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  details?: Record<string, unknown>,
) => void;

export interface ReaderHooks {
  /** After a message's bytes arrived, before anything is written (crash tests). */
  afterFetch?: (uid: number) => void | Promise<void>;
  /** Inside the take transaction, after every write, before the commit (crash tests). */
  beforeCommit?: (uid: number) => void | Promise<void>;
}

export interface ReaderOptions {
  db: ServerDb;
  mailbox: MailboxSettings;
  /** Whose intake queue (the mailbox's orgCode, else the call centre's). */
  orgCode: string;
  config: MailboxConfig;
  log?: MailboxLog;
  now?: () => Date;
  hooks?: ReaderHooks;
  /** After a message was taken (the change sequence moved). */
  onTaken?: (outcome: Extract<TakeOutcome, { taken: true }>) => void;
}

export interface ReaderStatus {
  holdsLock: boolean;
  connected: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Connections opened (1 + reconnects). */
  connections: number;
}

/**
 * Reads one mailbox into the intake queue for as long as it runs: takes the mailbox's lock
 * (or waits for it), connects, takes every message past the checkpoint, then waits in IDLE for
 * new mail with a full resync every `resyncSeconds`. A lost connection (the IMAP server
 * restarted) is retried with a doubling delay; a lost lock ends the session and the reader
 * queues for the lock again.
 */
export class MailboxReader {
  readonly status: ReaderStatus = {
    holdsLock: false,
    connected: false,
    lastSyncAt: null,
    lastError: null,
    connections: 0,
  };
  readonly #o: ReaderOptions;
  readonly #log: MailboxLog;
  readonly #now: () => Date;
  #stopped = false;
  #running: Promise<void> | null = null;
  #client: ImapFlow | null = null;
  #wakers = new Set<() => void>();
  /** News (IDLE's EXISTS, a poke) arrived while no one was waiting: sync again at once. */
  #dirty = false;

  constructor(options: ReaderOptions) {
    this.#o = options;
    this.#log = options.log ?? (() => undefined);
    this.#now = options.now ?? (() => new Date());
  }

  get name(): string {
    return this.#o.mailbox.name;
  }

  start(): this {
    this.#running ??= this.#loop();
    return this;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeAll();
    this.#client?.close();
    await this.#running;
  }

  /** Ask for a sync now (as IDLE's EXISTS does). */
  poke(): void {
    this.#wakeAll();
  }

  #wakeAll(): void {
    this.#dirty = true;
    for (const wake of [...this.#wakers]) wake();
  }

  /**
   * Waits `ms`, or less when poked, stopped or `also` settles; `unlessDirty`: not at all when
   * news arrived since the last sync (only the resync wait, never a back-off, skips so).
   */
  #pause(ms: number, also: Promise<unknown>[] = [], unlessDirty = false): Promise<void> {
    if (this.#stopped || (unlessDirty && this.#dirty)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakers.add(done);
      for (const p of also) void p.then(done, done);
    });
  }

  async #loop(): Promise<void> {
    const { config } = this.#o;
    while (!this.#stopped) {
      let lock: MailboxLock | null = null;
      try {
        lock = await tryLockMailbox(this.#o.db, this.name, {
          leaseSeconds: config.leaseSeconds,
          now: this.#now,
        });
      } catch (error) {
        this.#fail('could not ask for the mailbox lock', error);
      }
      if (lock === null) {
        await this.#pause(config.lockRetrySeconds * 1000);
        continue;
      }
      this.status.holdsLock = true;
      let lost = false;
      void lock.lost.then(() => (lost = true));
      let delay = config.reconnectSeconds * 1000;
      try {
        while (!this.#stopped && !lost) {
          const connected = await this.#session(lock).catch((error: unknown) => {
            if (!this.#stopped) this.#fail('mailbox session ended', error);
            return this.status.connections > 0 && this.status.lastSyncAt !== null;
          });
          if (this.#stopped || lost) break;
          if (connected) delay = config.reconnectSeconds * 1000;
          await this.#pause(delay, [lock.lost]);
          delay = Math.min(delay * 2, config.reconnectMaxSeconds * 1000);
        }
      } finally {
        this.status.holdsLock = false;
        await lock.release();
      }
      if (lost && !this.#stopped) {
        this.#log('warn', 'mailbox lock lost; queueing for it again', { mailbox: this.name });
      }
    }
  }

  #fail(message: string, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.status.lastError = text;
    this.#log('warn', message, { mailbox: this.name, error: text });
  }

  /** One connection: sync, then wait for IDLE news or the resync timer, until it ends. */
  async #session(lock: MailboxLock): Promise<boolean> {
    const { mailbox, config } = this.#o;
    const client = new ImapFlow({
      host: mailbox.host,
      port: mailbox.port ?? (mailbox.tls === 'implicit' ? 993 : 143),
      secure: mailbox.tls === 'implicit',
      doSTARTTLS: mailbox.tls === 'starttls' ? true : mailbox.tls === 'none' ? false : undefined,
      auth: { user: mailbox.user, pass: mailbox.password },
      logger: false,
      // IDLE from half a second after each sync on (imapflow's default waits 15 s).
      autoIdleDelay: 500,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      ...(mailbox.caFile !== undefined
        ? { tls: { ca: fs.readFileSync(mailbox.caFile), minVersion: 'TLSv1.2' as const } }
        : { tls: { minVersion: 'TLSv1.2' as const } }),
    });
    this.#client = client;
    let closedFlag = false;
    const closed = new Promise<void>((resolve) =>
      client.once('close', () => {
        closedFlag = true;
        resolve();
      }),
    );
    client.on('error', (error: unknown) => this.#fail('IMAP connection error', error));
    try {
      await client.connect();
      this.status.connections++;
      this.status.connected = true;
      await client.mailboxOpen(mailbox.folder);
      client.on('exists', () => this.#wakeAll());
      let synced = false;
      while (!this.#stopped && !closedFlag) {
        this.#dirty = false;
        await this.#syncOnce(client, lock);
        synced = true;
        this.status.lastSyncAt = this.#now().toISOString();
        this.status.lastError = null;
        await this.#pause(config.resyncSeconds * 1000, [closed, lock.lost], true);
        if (!lock.held()) break;
      }
      if (closedFlag && !this.#stopped) throw new Error('the IMAP connection closed');
      return synced;
    } finally {
      this.status.connected = false;
      this.#client = null;
      if (!closedFlag) {
        await Promise.race([
          client.logout().catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 2000)),
        ]);
        client.close();
      }
    }
  }

  /** Takes every message past the checkpoint, in UID order, each in its own transaction. */
  async #syncOnce(client: ImapFlow, lock: MailboxLock): Promise<void> {
    const { db, config } = this.#o;
    // Ask the server, not the cached count: IDLE news may not have come (or not yet).
    await client.noop();
    const box = client.mailbox;
    if (box === false) throw new Error('no mailbox open');
    const uidValidity = Number(box.uidValidity);
    if (box.exists === 0) return;
    const checkpoint = await readCheckpoint(db, this.name);
    const first = checkpoint?.uidValidity === uidValidity ? checkpoint.lastUid + 1 : 1;
    const listed = await client.fetchAll(`${first}:*`, { uid: true, size: true }, { uid: true });
    const pending = listed
      .filter((m) => m.uid >= first)
      .map((m) => ({ uid: m.uid, size: m.size ?? 0 }))
      .sort((a, b) => a.uid - b.uid);
    for (const { uid, size } of pending) {
      if (this.#stopped) return;
      let raw: Buffer | null = null;
      let parsed: ParsedMessage;
      if (size > config.maxMessageBytes) {
        parsed = quarantined(`too-large: ${size} bytes (limit ${config.maxMessageBytes})`, size);
        const envelope = await client.fetchOne(String(uid), { envelope: true }, { uid: true });
        if (envelope !== false && envelope.envelope !== undefined) {
          const from = envelope.envelope.from?.[0];
          parsed = {
            ...parsed,
            messageId: envelope.envelope.messageId ?? null,
            subject: envelope.envelope.subject ?? '',
            fromAddress: from?.address?.toLowerCase() ?? null,
            fromName: from?.name ?? null,
          };
        }
      } else {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (message === false || message.source === undefined) continue; // expunged meanwhile
        raw = message.source;
        parsed = await parseMessage(raw, config).catch((error: unknown) =>
          quarantined(`reader-error: ${String(error)}`.slice(0, 300), raw?.length ?? 0),
        );
      }
      await this.#o.hooks?.afterFetch?.(uid);
      const outcome = await this.#take(uid, uidValidity, parsed, raw, lock);
      if (outcome.taken) {
        this.#o.onTaken?.(outcome);
        this.#log('info', 'mail taken into the intake queue', {
          mailbox: this.name,
          uid,
          kind: parsed.kind,
        });
      }
      // A convenience for people looking at the mailbox; the checkpoint is the truth.
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true }).catch(() => false);
    }
  }

  async #take(
    uid: number,
    uidValidity: number,
    parsed: ParsedMessage,
    raw: Buffer | null,
    lock: MailboxLock,
  ): Promise<TakeOutcome> {
    const input = {
      mailbox: this.name,
      orgCode: this.#o.orgCode,
      uidValidity,
      uid,
      parsed,
      raw,
      now: this.#now(),
    };
    const hooks = {
      stillHolds: lock.stillHolds,
      beforeCommit: () => this.#o.hooks?.beforeCommit?.(uid),
    };
    try {
      return await takeMessage(this.#o.db, input, hooks);
    } catch (error) {
      if (error instanceof LockLostError) throw error;
      // A message the database refuses must not block the ones after it: it is quarantined
      // with the reason (if that fails too, the session ends and the reader retries later).
      this.#fail('storing a mail failed; quarantining it', error);
      const reason = `store-failed: ${error instanceof Error ? error.message : String(error)}`;
      return takeMessage(
        this.#o.db,
        {
          ...input,
          parsed: quarantined(reason.slice(0, 300), parsed.rawSize, {
            messageId: parsed.messageId,
          }),
        },
        hooks,
      );
    }
  }
}
