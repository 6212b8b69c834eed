import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type {
  AccessRevocationTable,
  CounterName,
  Database,
  NotificationTable,
  SokEventTable,
  SokTable,
} from '../db/schema';
import { REG_NO_MAX_SEQUENCE } from '../../domain/regno';
import { dialectOf } from '../db/columns';
import { bumpCounter } from '../db/write-lock';
import { loadTemplate, type TemplateText } from '../notifications/templates';

export type SokRow = Selectable<SokTable>;

/**
 * The reads and writes the mutation appliers make, so a push can apply them either straight to
 * the transaction (`directWriter`) or through a `WriteBatch` that answers reads from what it
 * already knows and writes everything with a few multi-row statements at the end. Both run
 * inside the write lock; the results are identical.
 */
export interface SyncWriter {
  sokById(id: string): Promise<SokRow | undefined>;
  /** The id of the ŞÖK holding a registration number. */
  sokIdByRegNo(regNo: string): Promise<string | undefined>;
  /** Whether `seq` lies in a registration-number block leased to `clientId`. */
  hasNumberBlock(clientId: string, seq: number): Promise<boolean>;
  /** Allocates `by` values of a counter (change sequence, registration number). */
  bump(name: CounterName, by?: number): Promise<{ first: number; last: number }>;
  /**
   * The next registration-number sequence, or null when the number space is used up (the
   * counter then stays where it is: nothing past REG_NO_MAX_SEQUENCE is ever handed out).
   */
  nextRegNo(): Promise<number | null>;
  template(code: string): Promise<TemplateText>;
  insertSok(row: Insertable<SokTable>): Promise<void>;
  updateSok(id: string, changes: Updateable<SokTable>): Promise<void>;
  insertEvent(row: Insertable<SokEventTable>): Promise<void>;
  insertRevocation(row: Insertable<AccessRevocationTable>): Promise<void>;
  insertNotification(row: Insertable<NotificationTable>): Promise<void>;
}

/** Every read and write goes to the transaction as it happens. */
export function directWriter(trx: Kysely<Database>): SyncWriter {
  return {
    sokById: (id) => trx.selectFrom('sok').selectAll().where('id', '=', id).executeTakeFirst(),
    sokIdByRegNo: async (regNo) =>
      (await trx.selectFrom('sok').select('id').where('reg_no', '=', regNo).executeTakeFirst())?.id,
    hasNumberBlock: async (clientId, seq) =>
      (await trx
        .selectFrom('number_block')
        .select('start')
        .where('start', '<=', seq)
        .where('end_incl', '>=', seq)
        .where('client_id', '=', clientId)
        .executeTakeFirst()) !== undefined,
    bump: (name, by = 1) => bumpCounter(trx, name, by),
    nextRegNo: async () => {
      const row = await trx
        .updateTable('counter')
        .set((eb) => ({ value: eb('value', '+', 1) }))
        .where('name', '=', 'reg_no')
        .where('value', '<', REG_NO_MAX_SEQUENCE)
        .returning('value')
        .executeTakeFirst();
      return row === undefined ? null : Number(row.value);
    },
    template: (code) => loadTemplate(trx, code),
    insertSok: async (row) => {
      await trx.insertInto('sok').values(row).execute();
    },
    updateSok: async (id, changes) => {
      await trx.updateTable('sok').set(changes).where('id', '=', id).execute();
    },
    insertEvent: async (row) => {
      await trx.insertInto('sok_event').values(row).execute();
    },
    insertRevocation: async (row) => {
      await trx.insertInto('access_revocation').values(row).execute();
    },
    insertNotification: async (row) => {
      await trx.insertInto('notification').values(row).execute();
    },
  };
}

/** Bound parameters per statement: below PostgreSQL's 65,535 and SQLite's 32,766. */
const MAX_PARAMS = 30_000;

/**
 * A unit of work for one transaction under the write lock (one group of pushes):
 *
 * - reads of ŞÖKs by id or registration number are answered from the rows this batch wrote or
 *   already read (`prefetch` reads those a group will need in one query), else from the
 *   database, which holds nothing this batch changed that the overlay does not shadow;
 * - counters are read once and written once (`flush`), the row read FOR UPDATE on PostgreSQL:
 *   whoever else bumps it (a number-block lease, which takes no write lock) waits for this
 *   commit, so the values allocated are the ones one-by-one bumps would have given;
 * - inserts and updates are kept in order and written by `flush` as multi-row statements,
 *   parents first (ŞÖKs before their events, revocations and receipts).
 *
 * Call `flush` before anything that reads the tables directly (an applier that does not use the
 * batch), then `forget` after it, since it may have changed anything.
 */
export class WriteBatch implements SyncWriter {
  readonly #trx: Kysely<Database>;
  /** Templates read before the write lock was taken (see applyPush); others are read here. */
  readonly #knownTemplates: ReadonlyMap<string, TemplateText>;
  /** Known ŞÖK rows by id; null = known not to exist. */
  #soks = new Map<string, SokRow | null>();
  /** Known registration numbers → ŞÖK id; null = known unused. */
  #regNos = new Map<string, string | null>();
  /** Blocks of the clients whose range [lo, hi] was read. */
  #blocks = new Map<string, { lo: number; hi: number; blocks: { start: number; end: number }[] }>();
  #counters = new Map<CounterName, { value: number; dirty: boolean }>();
  #templates = new Map<string, TemplateText>();
  #sokInserts = new Map<string, Insertable<SokTable>>();
  #sokUpdates = new Map<string, Updateable<SokTable>>();
  #events: Insertable<SokEventTable>[] = [];
  #revocations: Insertable<AccessRevocationTable>[] = [];
  #notifications: Insertable<NotificationTable>[] = [];

  constructor(trx: Kysely<Database>, templates: ReadonlyMap<string, TemplateText> = new Map()) {
    this.#trx = trx;
    this.#knownTemplates = templates;
  }

  /** Reads, in one query each, the ŞÖKs and number blocks a group of mutations may ask for. */
  async prefetch(need: {
    sokIds: readonly string[];
    regNos: readonly string[];
    /** Registration-number sequences per client. */
    numbers: ReadonlyMap<string, readonly number[]>;
  }): Promise<void> {
    const ids = [...new Set(need.sokIds)].filter((id) => !this.#soks.has(id));
    const regNos = [...new Set(need.regNos)].filter((r) => !this.#regNos.has(r));
    const idParts = [...chunks(ids, 2_000)];
    const regNoParts = [...chunks(regNos, 2_000)];
    for (let i = 0; i < Math.max(idParts.length, regNoParts.length); i++) {
      const partIds = idParts[i] ?? [];
      const partRegNos = regNoParts[i] ?? [];
      const rows = await this.#trx
        .selectFrom('sok')
        .selectAll()
        .where((eb) =>
          eb.or([
            ...(partIds.length > 0 ? [eb('id', 'in', partIds)] : []),
            ...(partRegNos.length > 0 ? [eb('reg_no', 'in', partRegNos)] : []),
          ]),
        )
        .execute();
      for (const row of rows) this.#remember(row);
      for (const id of partIds) if (!this.#soks.has(id)) this.#soks.set(id, null);
      for (const r of partRegNos) if (!this.#regNos.has(r)) this.#regNos.set(r, null);
    }
    const ranges = [...need.numbers]
      .filter(([, seqs]) => seqs.length > 0)
      .map(([clientId, seqs]) => ({ clientId, lo: Math.min(...seqs), hi: Math.max(...seqs) }))
      .filter(({ clientId, lo, hi }) => {
        const known = this.#blocks.get(clientId);
        return !known || lo < known.lo || hi > known.hi;
      });
    if (ranges.length > 0) {
      const rows = await this.#trx
        .selectFrom('number_block')
        .select(['start', 'end_incl', 'client_id'])
        .where((eb) =>
          eb.or(
            ranges.map((r) =>
              eb.and([
                eb('client_id', '=', r.clientId),
                eb('end_incl', '>=', r.lo),
                eb('start', '<=', r.hi),
              ]),
            ),
          ),
        )
        .execute();
      for (const r of ranges) {
        this.#blocks.set(r.clientId, {
          lo: r.lo,
          hi: r.hi,
          blocks: rows
            .filter((b) => b.client_id === r.clientId)
            .map((b) => ({ start: Number(b.start), end: Number(b.end_incl) })),
        });
      }
    }
  }

  #remember(row: SokRow): void {
    this.#soks.set(row.id, row);
    this.#regNos.set(row.reg_no, row.id);
  }

  async sokById(id: string): Promise<SokRow | undefined> {
    if (!this.#soks.has(id)) {
      const row = await this.#trx
        .selectFrom('sok')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (row) this.#remember(row);
      else this.#soks.set(id, null);
    }
    return this.#soks.get(id) ?? undefined;
  }

  async sokIdByRegNo(regNo: string): Promise<string | undefined> {
    if (!this.#regNos.has(regNo)) {
      const row = await this.#trx
        .selectFrom('sok')
        .selectAll()
        .where('reg_no', '=', regNo)
        .executeTakeFirst();
      if (row) this.#remember(row);
      else this.#regNos.set(regNo, null);
    }
    return this.#regNos.get(regNo) ?? undefined;
  }

  async hasNumberBlock(clientId: string, seq: number): Promise<boolean> {
    const known = this.#blocks.get(clientId);
    if (known && seq >= known.lo && seq <= known.hi) {
      return known.blocks.some((b) => b.start <= seq && seq <= b.end);
    }
    return directWriter(this.#trx).hasNumberBlock(clientId, seq);
  }

  async bump(name: CounterName, by = 1): Promise<{ first: number; last: number }> {
    if (!Number.isInteger(by) || by < 1) throw new RangeError(`counter step must be ≥ 1: ${by}`);
    const counter = await this.#counter(name);
    counter.value += by;
    counter.dirty = true;
    return { first: counter.value - by + 1, last: counter.value };
  }

  async nextRegNo(): Promise<number | null> {
    const counter = await this.#counter('reg_no');
    if (counter.value >= REG_NO_MAX_SEQUENCE) return null;
    return (await this.bump('reg_no')).last;
  }

  async #counter(name: CounterName): Promise<{ value: number; dirty: boolean }> {
    let counter = this.#counters.get(name);
    if (!counter) {
      const row = await this.#trx
        .selectFrom('counter')
        .select('value')
        .where('name', '=', name)
        .$if(dialectOf(this.#trx) === 'postgres', (q) => q.forUpdate())
        .executeTakeFirstOrThrow();
      counter = { value: Number(row.value), dirty: false };
      this.#counters.set(name, counter);
    }
    return counter;
  }

  async template(code: string): Promise<TemplateText> {
    let text = this.#templates.get(code) ?? this.#knownTemplates.get(code);
    if (!text) {
      text = await loadTemplate(this.#trx, code);
      this.#templates.set(code, text);
    }
    return text;
  }

  insertSok(row: Insertable<SokTable>): Promise<void> {
    if (this.#soks.get(row.id) || this.#sokInserts.has(row.id)) {
      return Promise.reject(new Error(`ŞÖK ${row.id} is already stored`));
    }
    this.#sokInserts.set(row.id, row);
    this.#remember(asRow(row));
    return Promise.resolve();
  }

  async updateSok(id: string, changes: Updateable<SokTable>): Promise<void> {
    const row = await this.sokById(id);
    if (!row) return; // an UPDATE of a missing row changes nothing either
    const staged = this.#sokInserts.get(id);
    if (staged) this.#sokInserts.set(id, { ...staged, ...changes } as Insertable<SokTable>);
    else this.#sokUpdates.set(id, { ...this.#sokUpdates.get(id), ...changes });
    this.#remember({ ...row, ...changes } as SokRow);
  }

  insertEvent(row: Insertable<SokEventTable>): Promise<void> {
    this.#events.push(row);
    return Promise.resolve();
  }

  insertRevocation(row: Insertable<AccessRevocationTable>): Promise<void> {
    this.#revocations.push(row);
    return Promise.resolve();
  }

  insertNotification(row: Insertable<NotificationTable>): Promise<void> {
    this.#notifications.push(row);
    return Promise.resolve();
  }

  /** Writes everything staged (the overlay stays valid: the database now agrees with it). */
  async flush(): Promise<void> {
    const trx = this.#trx;
    await insertMany(trx, 'sok', [...this.#sokInserts.values()]);
    this.#sokInserts.clear();
    for (const [id, changes] of this.#sokUpdates) {
      await trx.updateTable('sok').set(changes).where('id', '=', id).execute();
    }
    this.#sokUpdates.clear();
    await insertMany(trx, 'access_revocation', this.#revocations);
    this.#revocations = [];
    await insertMany(trx, 'sok_event', this.#events);
    this.#events = [];
    await insertMany(trx, 'notification', this.#notifications);
    this.#notifications = [];
    for (const [name, counter] of this.#counters) {
      if (!counter.dirty) continue;
      await trx
        .updateTable('counter')
        .set({ value: counter.value })
        .where('name', '=', name)
        .execute();
      counter.dirty = false;
    }
  }

  /** Drops what it knows (after code that bypassed the batch; flush first). */
  forget(): void {
    this.#soks.clear();
    this.#regNos.clear();
    this.#blocks.clear();
    this.#counters.clear();
    this.#templates.clear();
  }
}

function asRow(row: Insertable<SokTable>): SokRow {
  return {
    citizen_email: null,
    preferred_contact: null,
    latitude: null,
    longitude: null,
    kvkk_notice_by: null,
    kvkk_notice_at: null,
    sms_consent: null,
    route_rule_id: null,
    route_reason: null,
    deleted: 0,
    ...row,
  } as SokRow;
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Multi-row INSERTs, as many rows per statement as the parameter limit allows. */
export async function insertMany<
  T extends 'sok' | 'sok_event' | 'access_revocation' | 'notification' | 'mutation_log',
>(trx: Kysely<Database>, table: T, rows: readonly Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Math.max(1, Object.keys(rows[0] as object).length);
  for (const part of chunks(rows, Math.max(1, Math.floor(MAX_PARAMS / columns)))) {
    await trx
      .insertInto(table)
      .values(part as never)
      .execute();
  }
}

/**
 * Sets `last_mutation_id` (and `last_seen_at`) of several sync streams in one statement.
 */
export async function updateStreams(
  trx: Kysely<Database>,
  streams: readonly { id: string; lastMutationId: number; at: string }[],
): Promise<void> {
  if (streams.length === 0) return;
  for (const part of chunks(streams, 2_000)) {
    const ids = part.map((s) => s.id);
    await sql`update client set
        last_mutation_id = case id ${sql.join(
          part.map((s) => sql`when ${s.id} then cast(${s.lastMutationId} as bigint)`),
          sql` `,
        )} end,
        last_seen_at = case id ${sql.join(
          part.map((s) => sql`when ${s.id} then cast(${s.at} as text)`),
          sql` `,
        )} end
      where id in (${sql.join(ids)})`.execute(trx);
  }
}
