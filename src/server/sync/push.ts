import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import {
  MUTATION_KINDS,
  type MutationError,
  type MutationKind,
  type MutationResult,
} from '../../domain/sync';
import { parseRegNo } from '../../domain/regno';
import type { AuthContext } from '../auth/context';
import type { ServerDb } from '../db/open';
import type { Database, MutationLogTable, NotificationChannel } from '../db/schema';
import { withWriteLock } from '../db/write-lock';
import { loadAllTemplates, type TemplateText } from '../notifications/templates';
import type { RoutingRule } from '../../domain/routing';
import { loadRoutingRules } from '../routing/rules';
import { insertMany, updateStreams, WriteBatch } from './batch';
import { applyMutation, BATCHED_KINDS, type ApplyOutcome, type ReferenceIndex } from './mutations';
import { ApiError } from '../http/errors';
import { foreignStream } from './streams';
import { t } from '../i18n';
import { textCacheOf, type TextVersionCache } from '../kvkk/texts';

/**
 * One mutation as the push envelope carries it: the id is checked with the envelope (every answer
 * is keyed by it), the kind and the payload per mutation, so one bad mutation is refused alone.
 */
export interface PushedMutation {
  id: number;
  kind: string;
  payload: unknown;
}

/** Why a mutation failed inside the server: logged, and turned into that mutation's refusal. */
export type MutationFailureLog = (failure: {
  mutationId: number;
  kind: string;
  error: unknown;
}) => void;

export interface PushOutcome {
  results: MutationResult[];
  lastMutationId: number;
  /** Highest change sequence written, 0 when nothing changed (nobody needs a poke). */
  lastSeq: number;
  rejected: { id: number; error: MutationError }[];
}

/** One push request waiting for its group. */
interface PushJob {
  auth: AuthContext;
  mutations: readonly PushedMutation[];
  reference: ReferenceIndex;
  now: Date;
  options: PushOptions;
  resolve: (outcome: PushOutcome) => void;
  reject: (error: unknown) => void;
}

/** A group holds at most this many pushes … */
const GROUP_MAX_PUSHES = 128;
/** … and about this many mutations (a single push may have more, up to the request limit). */
const GROUP_MAX_MUTATIONS = 2_000;

/**
 * Group commit. Pushes that arrive while a group is being written wait and then go together in
 * the next group: one transaction, one write-lock acquisition, the reads each mutation needs
 * fetched together and the writes made as multi-row statements (WriteBatch). Nothing waits on
 * purpose: a push that finds the queue idle is written at once, alone.
 *
 * Each push keeps its own answer and stays atomic (a group commits all of its pushes or none).
 * When a group fails (a database error, a bug in one applier) nothing of it is committed and
 * its pushes are retried one by one, each in its own transaction; a push that fails alone is
 * applied once more mutation by mutation (applyGroup's `isolate`), so the mutation that fails is
 * refused and the rest of the push, and the desk's queue, go on. Two pushes of the same stream never share a group: the later one waits for the next.
 */
class PushQueue {
  readonly #db: ServerDb;
  #waiting: PushJob[] = [];
  #running = false;

  constructor(db: ServerDb) {
    this.#db = db;
  }

  push(job: Omit<PushJob, 'resolve' | 'reject'>): Promise<PushOutcome> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ ...job, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#takeGroup();
        await this.#write(group);
      }
    } finally {
      this.#running = false;
    }
  }

  #takeGroup(): PushJob[] {
    const group: PushJob[] = [];
    const later: PushJob[] = [];
    const streams = new Set<string>();
    let mutations = 0;
    for (const job of this.#waiting) {
      const fits =
        group.length === 0 ||
        (group.length < GROUP_MAX_PUSHES &&
          mutations + job.mutations.length <= GROUP_MAX_MUTATIONS &&
          !streams.has(job.auth.clientId));
      if (fits) {
        group.push(job);
        streams.add(job.auth.clientId);
        mutations += job.mutations.length;
      } else {
        later.push(job);
      }
    }
    this.#waiting = later;
    return group;
  }

  async #write(group: PushJob[]): Promise<void> {
    // Reference data (routing rules, message templates) is read before the write lock, not
    // under it: the lock is what every push waits for. A rule changed in between is as if the
    // push had come a moment earlier.
    let shared: GroupReference | undefined;
    try {
      shared = await loadGroupReference(this.#db);
    } catch {
      shared = undefined; // read them under the lock, as the retries below do
    }
    try {
      const outcomes = await withWriteLock(this.#db, (trx) =>
        applyGroup(trx, group, shared, { texts: textCacheOf(this.#db) }),
      );
      group.forEach((job, i) => settle(job, outcomes[i] as PushOutcome | ApiError));
      return;
    } catch {
      // Below: each push alone, then mutation by mutation.
    }
    for (const job of group) {
      if (group.length > 1) {
        try {
          const [outcome] = await withWriteLock(this.#db, (trx) =>
            applyGroup(trx, [job], undefined, { texts: textCacheOf(this.#db) }),
          );
          settle(job, outcome as PushOutcome | ApiError);
          continue;
        } catch {
          // This push fails alone: find the mutation that fails.
        }
      }
      try {
        const [outcome] = await withWriteLock(this.#db, (trx) =>
          applyGroup(trx, [job], undefined, { isolate: true, texts: textCacheOf(this.#db) }),
        );
        settle(job, outcome as PushOutcome | ApiError);
      } catch (error) {
        job.reject(error);
      }
    }
  }
}

function settle(job: PushJob, outcome: PushOutcome | ApiError): void {
  if (outcome instanceof ApiError) job.reject(outcome);
  else job.resolve(outcome);
}

const queues = new WeakMap<ServerDb, PushQueue>();

export interface PushOptions {
  /** Receipt channels this instance cannot send (see ReceiptInput.unsendable). */
  unsendableChannels?: ReadonlySet<NotificationChannel>;
  /** Told about every mutation that failed inside the server (and was refused for it). */
  onMutationFailure?: MutationFailureLog;
}

/**
 * Applies one push atomically under the write lock, in a group with the pushes that arrive
 * meanwhile (see PushQueue): mutations already recorded for this stream are answered from the
 * log; new ones are applied in order and recorded with the stream's new high-water mark. Either
 * the whole push commits or none of it (the client re-sends); a mutation that fails inside the
 * server is refused alone and the rest of the push commits (see PushQueue).
 */
export function applyPush(
  db: ServerDb,
  auth: AuthContext,
  mutations: readonly PushedMutation[],
  reference: ReferenceIndex,
  now: Date,
  options: PushOptions = {},
): Promise<PushOutcome> {
  let queue = queues.get(db);
  if (!queue) {
    queue = new PushQueue(db);
    queues.set(db, queue);
  }
  return queue.push({ auth, mutations, reference, now, options });
}

/** What a group's mutations will read, gathered from their payloads (best effort: a hint). */
function prefetchNeeds(
  jobs: readonly { auth: AuthContext; mutations: readonly PushedMutation[] }[],
) {
  const sokIds: string[] = [];
  const regNos: string[] = [];
  const numbers = new Map<string, number[]>();
  for (const { auth, mutations } of jobs) {
    for (const m of mutations) {
      const p = (typeof m.payload === 'object' && m.payload !== null ? m.payload : {}) as Record<
        string,
        unknown
      >;
      if (m.kind === 'sok.create') {
        if (typeof p.id === 'string') sokIds.push(p.id);
        if (typeof p.regNo === 'string') {
          regNos.push(p.regNo);
          const seq = parseRegNo(p.regNo);
          if (seq !== null) {
            const list = numbers.get(auth.clientId) ?? [];
            list.push(seq);
            numbers.set(auth.clientId, list);
          }
        }
      } else if (typeof p.sokId === 'string') {
        sokIds.push(p.sokId);
      }
    }
  }
  return { sokIds, regNos, numbers };
}

interface GroupReference {
  rules: RoutingRule[];
  templates: Map<string, TemplateText>;
}

async function loadGroupReference(db: Kysely<Database>): Promise<GroupReference> {
  const [rules, templates] = await Promise.all([loadRoutingRules(db), loadAllTemplates(db)]);
  return { rules, templates };
}

const KINDS: ReadonlySet<string> = new Set(MUTATION_KINDS);

/**
 * Applies a group of pushes (distinct streams) in the caller's locked transaction. A push on a
 * stream that is not its user's is refused (its ApiError stands in its place) and changes nothing.
 *
 * `isolate`: each mutation in a savepoint of its own, written at once, so one that fails inside
 * the server (a database refusal of its data, a bug in its applier) is rolled back and refused
 * alone, and the rest of the push goes on. A failure that breaks the transaction itself (the
 * connection, the disk) still fails the push, which the client sends again.
 */
async function applyGroup(
  trx: Kysely<Database>,
  jobs: readonly PushJob[],
  shared?: GroupReference,
  { isolate = false, texts }: { isolate?: boolean; texts?: TextVersionCache } = {},
): Promise<(PushOutcome | ApiError)[]> {
  const streamIds = jobs.map((j) => j.auth.clientId);
  const streams = new Map(
    (
      await trx
        .selectFrom('client')
        .select(['id', 'user_id', 'last_mutation_id'])
        .where('id', 'in', streamIds)
        .execute()
    ).map((row) => [row.id, { last: Number(row.last_mutation_id), userId: row.user_id }]),
  );
  const refused = jobs.map((job) => {
    const stream = streams.get(job.auth.clientId);
    if (stream === undefined) throw new Error(`unknown sync stream ${job.auth.clientId}`);
    return stream.userId === job.auth.user.id ? null : foreignStream();
  });
  const fresh = jobs.flatMap((job, i) =>
    refused[i] !== null
      ? []
      : [
          {
            auth: job.auth,
            mutations: job.mutations.filter(
              (m) => m.id > (streams.get(job.auth.clientId)?.last ?? 0),
            ),
          },
        ],
  );

  const batch = new WriteBatch(trx, shared?.templates);
  if (!isolate) await batch.prefetch(prefetchNeeds(fresh));
  const rules = !fresh.some((f) => f.mutations.length > 0)
    ? []
    : (shared?.rules ?? (await loadRoutingRules(trx)));
  const log: Insertable<MutationLogTable>[] = [];
  const marks: { id: string; lastMutationId: number; at: string }[] = [];
  const outcomes: (PushOutcome | ApiError)[] = [];

  for (const [index, job] of jobs.entries()) {
    const refusal = refused[index];
    if (refusal) {
      outcomes.push(refusal);
      continue;
    }
    const { auth, mutations, reference, now } = job;
    const extra = job.options.unsendableChannels
      ? { unsendableChannels: job.options.unsendableChannels }
      : {};
    let last = streams.get(auth.clientId)?.last as number;
    const seenIds = mutations.filter((m) => m.id <= last).map((m) => m.id);
    const logged = new Map(
      seenIds.length === 0
        ? []
        : (
            await trx
              .selectFrom('mutation_log')
              .select(['mutation_id', 'status', 'error'])
              .where('client_id', '=', auth.clientId)
              .where('mutation_id', 'in', seenIds)
              .execute()
          ).map((row) => [Number(row.mutation_id), row]),
    );
    const outcome: PushOutcome = { results: [], lastMutationId: last, lastSeq: 0, rejected: [] };
    const at = now.toISOString();
    let wrote = false;
    for (const mutation of mutations) {
      if (mutation.id <= last) {
        // Already recorded: answer as the first time, change nothing.
        const row = logged.get(mutation.id);
        outcome.results.push(
          row?.status === 'rejected'
            ? {
                id: mutation.id,
                status: 'rejected',
                error: JSON.parse(row.error ?? '{}') as MutationError,
                entity: null,
              }
            : { id: mutation.id, status: 'applied' },
        );
        continue;
      }
      const ctx = { trx, auth, reference, rules, now, ...extra, ...(texts ? { texts } : {}) };
      let applied: ApplyOutcome;
      if (!KINDS.has(mutation.kind)) {
        applied = refusal_(t('sync.unknownKind', { kind: mutation.kind.slice(0, 40) }));
      } else if (isolate) {
        applied = await applyIsolated(
          trx,
          mutation,
          (own) =>
            BATCHED_KINDS.has(mutation.kind as MutationKind)
              ? applyMutation(
                  { ...ctx, batch: own },
                  mutation.kind as MutationKind,
                  mutation.payload,
                )
              : applyMutation(ctx, mutation.kind as MutationKind, mutation.payload),
          shared?.templates,
          (error) =>
            job.options.onMutationFailure?.({
              mutationId: mutation.id,
              kind: mutation.kind,
              error,
            }),
        );
      } else if (BATCHED_KINDS.has(mutation.kind as MutationKind)) {
        applied = await applyMutation(
          { ...ctx, batch },
          mutation.kind as MutationKind,
          mutation.payload,
        );
      } else {
        // An applier that works on the transaction directly sees everything written so far,
        // and may change anything the batch knew.
        await batch.flush();
        applied = await applyMutation(ctx, mutation.kind as MutationKind, mutation.payload);
        batch.forget();
      }
      log.push({
        client_id: auth.clientId,
        mutation_id: mutation.id,
        status: applied.status,
        error: applied.status === 'rejected' ? JSON.stringify(applied.error) : null,
        applied_at: at,
      });
      wrote = true;
      if (applied.status === 'applied') {
        outcome.results.push({ id: mutation.id, status: 'applied' });
        outcome.lastSeq = Math.max(outcome.lastSeq, applied.seq);
      } else {
        outcome.results.push({
          id: mutation.id,
          status: 'rejected',
          error: applied.error,
          entity: applied.entity,
        });
        outcome.rejected.push({ id: mutation.id, error: applied.error });
      }
      last = mutation.id;
    }
    if (wrote) marks.push({ id: auth.clientId, lastMutationId: last, at });
    outcome.lastMutationId = last;
    outcomes.push(outcome);
  }
  await batch.flush();
  await insertMany(trx, 'mutation_log', log);
  await updateStreams(trx, marks);
  return outcomes;
}

const refusal_ = (message: string): ApplyOutcome => ({
  status: 'rejected',
  error: { code: 'validation', message },
  entity: null,
});

/**
 * Applies one mutation in a savepoint, through a batch of its own flushed inside it (so the
 * database refuses its data here, not later with others'). A failure rolls the savepoint back
 * and becomes the mutation's refusal, unless the transaction itself is broken.
 */
async function applyIsolated(
  trx: Kysely<Database>,
  mutation: PushedMutation,
  apply: (batch: WriteBatch) => Promise<ApplyOutcome>,
  templates: ReadonlyMap<string, TemplateText> | undefined,
  report: (error: unknown) => void,
): Promise<ApplyOutcome> {
  await sql`savepoint mutation`.execute(trx);
  try {
    const own = new WriteBatch(trx, templates);
    const outcome = await apply(own);
    await own.flush();
    await sql`release savepoint mutation`.execute(trx);
    return outcome;
  } catch (error) {
    if (isTransient(error)) throw error;
    await sql`rollback to savepoint mutation`.execute(trx);
    await sql`release savepoint mutation`.execute(trx);
    report(error);
    return refusal_(t('sync.mutationFailed', { id: mutation.id }));
  }
}

/** PostgreSQL SQLSTATE classes and SQLite codes that say nothing about the mutation's data. */
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58|XX)/;
const TRANSIENT_SQLITE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|NOMEM|CORRUPT|CANTOPEN|INTERRUPT|NOTADB)/;
/** Node's socket errors (ECONNRESET …). */
const TRANSIENT_SYSTEM = /^E[A-Z]+$/;

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    TRANSIENT_SQLSTATE.test(code) || TRANSIENT_SQLITE.test(code) || TRANSIENT_SYSTEM.test(code)
  );
}
