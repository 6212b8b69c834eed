import type { Insertable, Kysely } from 'kysely';
import type { Mutation, MutationError, MutationResult } from '../../domain/sync';
import { parseRegNo } from '../../domain/regno';
import type { AuthContext } from '../auth/context';
import type { ServerDb } from '../db/open';
import type { Database, MutationLogTable, NotificationChannel } from '../db/schema';
import { withWriteLock } from '../db/write-lock';
import { loadAllTemplates, type TemplateText } from '../notifications/templates';
import type { RoutingRule } from '../../domain/routing';
import { loadRoutingRules } from '../routing/rules';
import { insertMany, updateStreams, WriteBatch } from './batch';
import { applyMutation, BATCHED_KINDS, type ReferenceIndex } from './mutations';

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
  mutations: readonly Mutation[];
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
 * its pushes are retried one by one, each in its own transaction, so one bad push fails alone.
 * Two pushes of the same stream never share a group: the later one waits for the next.
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
      shared = undefined; // read them under the lock, as the retry below does
    }
    try {
      const outcomes = await withWriteLock(this.#db, (trx) => applyGroup(trx, group, shared));
      group.forEach((job, i) => job.resolve(outcomes[i] as PushOutcome));
      return;
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
    }
    for (const job of group) {
      try {
        const [outcome] = await withWriteLock(this.#db, (trx) => applyGroup(trx, [job]));
        job.resolve(outcome as PushOutcome);
      } catch (error) {
        job.reject(error);
      }
    }
  }
}

const queues = new WeakMap<ServerDb, PushQueue>();

export interface PushOptions {
  /** Receipt channels this instance cannot send (see ReceiptInput.unsendable). */
  unsendableChannels?: ReadonlySet<NotificationChannel>;
}

/**
 * Applies one push atomically under the write lock, in a group with the pushes that arrive
 * meanwhile (see PushQueue): mutations already recorded for this stream are answered from the
 * log; new ones are applied in order and recorded with the stream's new high-water mark. Either
 * the whole push commits or none of it (the client re-sends).
 */
export function applyPush(
  db: ServerDb,
  auth: AuthContext,
  mutations: readonly Mutation[],
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
function prefetchNeeds(jobs: readonly { auth: AuthContext; mutations: readonly Mutation[] }[]) {
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

/** Applies a group of pushes (distinct streams) in the caller's locked transaction. */
async function applyGroup(
  trx: Kysely<Database>,
  jobs: readonly PushJob[],
  shared?: GroupReference,
): Promise<PushOutcome[]> {
  const streamIds = jobs.map((j) => j.auth.clientId);
  const streams = new Map(
    (
      await trx
        .selectFrom('client')
        .select(['id', 'last_mutation_id'])
        .where('id', 'in', streamIds)
        .execute()
    ).map((row) => [row.id, Number(row.last_mutation_id)]),
  );
  const fresh = jobs.map((job) => {
    const last = streams.get(job.auth.clientId);
    if (last === undefined) throw new Error(`unknown sync stream ${job.auth.clientId}`);
    return { auth: job.auth, mutations: job.mutations.filter((m) => m.id > last) };
  });

  const batch = new WriteBatch(trx, shared?.templates);
  await batch.prefetch(prefetchNeeds(fresh));
  const rules = !fresh.some((f) => f.mutations.length > 0)
    ? []
    : (shared?.rules ?? (await loadRoutingRules(trx)));
  const log: Insertable<MutationLogTable>[] = [];
  const marks: { id: string; lastMutationId: number; at: string }[] = [];
  const outcomes: PushOutcome[] = [];

  for (const job of jobs) {
    const { auth, mutations, reference, now } = job;
    const extra = job.options.unsendableChannels
      ? { unsendableChannels: job.options.unsendableChannels }
      : {};
    let last = streams.get(auth.clientId) as number;
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
      let applied;
      if (BATCHED_KINDS.has(mutation.kind)) {
        applied = await applyMutation(
          { trx, auth, reference, rules, now, batch, ...extra },
          mutation.kind,
          mutation.payload,
        );
      } else {
        // An applier that works on the transaction directly sees everything written so far,
        // and may change anything the batch knew.
        await batch.flush();
        applied = await applyMutation(
          { trx, auth, reference, rules, now, ...extra },
          mutation.kind,
          mutation.payload,
        );
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
