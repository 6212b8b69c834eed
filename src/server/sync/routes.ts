import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { type Change, type PullResponse } from '../../domain/sync';
import { REGISTERING_ROLES } from '../../domain/session';
import type { AppDeps } from '../app-deps';
import { ApiError } from '../http/errors';
import { authOf, type AuthContext } from '../auth/context';
import { currentChangeSeq } from '../db/write-lock';
import type { Database, NotificationChannel } from '../db/schema';
import { visibilityFor, visibilityRule, type Visibility } from '../scope';
import { HeadReader, PageCache, PokeRouter, type PageRead } from './live';
import type { ReferenceIndex } from './mutations';
import { receiptChangesSince, receiptToWire } from '../notifications/store';
import { coalescingPublisher } from '../changefeed/notifier';
import { leaseNumberBlock, type NumberLeaseLimits } from './number-leases';
import { applyPush } from './push';
import { maskPersonalData } from './privacy-filter';
import { sokToWire } from './sok-rows';

export interface SyncOptions {
  /** Registration numbers per leased block. */
  numberBlockSize: number;
  /** Most changes in one pull page. */
  pullPageMax: number;
  /** Receipt channels this instance's worker cannot send: marked so when enqueued. */
  unsendableChannels?: readonly NotificationChannel[];
}

const PullQuery = z.strictObject({
  // Sequence numbers are integer columns (PostgreSQL int4): a cursor beyond them is a 400.
  cursor: z.coerce.number().int().min(0).max(2_147_483_647),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
const EmptyBody = z.strictObject({}).nullish();

/**
 * The push envelope. Only what every answer needs is checked here (each mutation's id); kind and
 * payload are checked per mutation when it is applied, so one bad mutation is refused alone
 * instead of failing the whole batch with 400.
 */
const PushEnvelope = z.strictObject({
  mutations: z
    .array(
      z.strictObject({
        // Mutation ids are stored in integer columns (PostgreSQL int4).
        id: z.number().int().positive().max(2_147_483_647),
        kind: z.string().max(200),
        payload: z.unknown(),
      }),
    )
    .min(1)
    .max(500),
});

/** The number plan's limits (docs/sync.md) from the server's settings. */
export function numberLimits(
  config: AppDeps['config'],
  options: Pick<SyncOptions, 'numberBlockSize'> = { numberBlockSize: config.numberBlockSize },
): NumberLeaseLimits {
  return {
    blockSize: options.numberBlockSize,
    maxOutstanding: config.numberLeaseMaxOutstanding,
    leasesPerHour: config.numberLeasesPerHour,
    reserve: config.numberReserve,
  };
}

/** What a client may see changes whenever this does; the client then starts over. */
export function scopeFingerprint(auth: AuthContext): string {
  const rule = visibilityRule(auth.user);
  return rule.kind === 'all' ? `all:${auth.user.id}` : `org:${rule.orgCode}:${auth.user.id}`;
}

/**
 * The sync protocol (docs/sync.md): idempotent push of a client's mutations, pull of every
 * change in the caller's scope by a server-assigned cursor, leased registration-number blocks,
 * and a WebSocket that pokes clients to pull.
 */
export function registerSyncRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  reference: ReferenceIndex,
  options: SyncOptions,
) {
  const { db, notifier, clock } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Pushes committed together (a group) or close together share one NOTIFY.
  const publish = coalescingPublisher(notifier);
  const unsendable = new Set(options.unsendableChannels ?? []);

  r.post('/sync/push', { schema: { body: PushEnvelope } }, async (request) => {
    const auth = authOf(request);
    const outcome = await applyPush(db, auth, request.body.mutations, reference, clock(), {
      unsendableChannels: unsendable,
      onMutationFailure: ({ mutationId, kind, error }) =>
        request.log.error({ err: error, mutationId, kind }, 'mutation failed; refused'),
    });
    for (const { id, error } of outcome.rejected) {
      request.log.info({ mutationId: id, error }, 'mutation rejected');
    }
    if (outcome.lastSeq > 0) await publish(outcome.lastSeq);
    return { results: outcome.results, lastMutationId: outcome.lastMutationId };
  });

  /** One page of the feed for a visibility rule, read in one snapshot. */
  const readPage = async (
    rule: Visibility,
    user: AuthContext['user'],
    cursor: number,
    limit: number,
  ): Promise<PageRead> => {
    // One snapshot for the page and the cursor, so nothing committed in between is skipped.
    // (SQLite transactions are already serialised.)
    const transaction =
      db.dialect === 'postgres'
        ? db.transaction().setIsolationLevel('repeatable read')
        : db.transaction();
    const page = await transaction.execute(async (trx) => {
      const soks = await trx
        .selectFrom('sok')
        .selectAll()
        .where('change_seq', '>', cursor)
        .where(visibilityFor(user))
        .orderBy('change_seq')
        .limit(limit + 1)
        .execute();
      const revocations =
        rule.kind === 'all'
          ? []
          : await trx
              .selectFrom('access_revocation')
              .select(['seq', 'sok_id'])
              .where('seq', '>', cursor)
              .where('org_code', '=', rule.orgCode)
              .orderBy('seq')
              .limit(limit + 1)
              .execute();
      // Who sees everything needs no join: read straight down the change_seq index. For an
      // organisation, events and receipts are read from the next `scan` sequence numbers of
      // their table (seq-driven, whatever the planner would estimate), then filtered by the
      // ŞÖK's organisations; when the scan was cut short, the page is complete only up to
      // the last sequence number scanned (`bound`).
      let bound = Number.POSITIVE_INFINITY;
      const scan = Math.max(1000, 4 * (limit + 1));
      // The next `scan` rows of the table after the cursor that concern a ŞÖK the user sees.
      const visibleAfterScan = async <T extends 'sok_event' | 'notification'>(table: T) => {
        const end = await trx
          .selectFrom(table as 'sok_event')
          .select('change_seq')
          .where('change_seq', '>', cursor)
          .orderBy('change_seq')
          .limit(1)
          .offset(scan - 1)
          .executeTakeFirst();
        if (end !== undefined) bound = Math.min(bound, Number(end.change_seq));
        const rows = await trx
          .with(
            (wb) => wb('recent').materialized(),
            (qb) =>
              qb
                .selectFrom(table as 'sok_event')
                .selectAll()
                .where('change_seq', '>', cursor)
                .orderBy('change_seq')
                .limit(scan),
          )
          .selectFrom('recent')
          .innerJoin('sok', 'sok.id', 'recent.sok_id')
          .selectAll('recent')
          .where(visibilityFor(user))
          .orderBy('recent.change_seq')
          .limit(limit + 1)
          .execute();
        return rows as unknown as Selectable<Database[T]>[];
      };
      let events;
      let receipts;
      if (rule.kind === 'all') {
        events = await trx
          .selectFrom('sok_event')
          .selectAll()
          .where('change_seq', '>', cursor)
          .orderBy('change_seq')
          .limit(limit + 1)
          .execute();
        receipts = await receiptChangesSince(trx, user, cursor, limit + 1);
      } else {
        events = await visibleAfterScan('sok_event');
        receipts = (await visibleAfterScan('notification')).map((row) => ({
          seq: Number(row.change_seq),
          op: 'receipt' as const,
          receipt: receiptToWire(row),
        }));
      }
      const head = await currentChangeSeq(trx);
      return { soks, revocations, events, receipts, head, bound };
    });
    const changes: Change[] = [
      ...page.soks.map((row) => ({
        seq: Number(row.change_seq),
        op: 'upsert' as const,
        sok: sokToWire(row, user.orgCode),
      })),
      ...page.revocations.map((row) => ({
        seq: Number(row.seq),
        op: 'remove' as const,
        id: row.sok_id,
      })),
      ...page.events.map((row) => ({
        seq: Number(row.change_seq),
        op: 'event' as const,
        event: {
          id: row.id,
          sokId: row.sok_id,
          kind: row.kind,
          actorId: row.actor_id,
          actorOrg: row.actor_org,
          at: row.at,
          note: row.note,
          data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
        },
      })),
      ...page.receipts,
    ]
      .filter((c) => c.seq <= page.bound)
      .sort((a, b) => a.seq - b.seq);
    if (changes.length > limit) {
      const taken = changes.slice(0, limit);
      return { head: page.head, changes: taken, cursor: taken.at(-1)?.seq ?? cursor, more: true };
    }
    if (page.bound !== Number.POSITIVE_INFINITY) {
      // Complete up to the end of the scan: go on from there.
      return { head: page.head, changes, cursor: Math.max(cursor, page.bound), more: true };
    }
    return { head: page.head, changes, cursor: Math.max(cursor, page.head), more: false };
  };
  const pages = new PageCache();
  const heads = new HeadReader(() => currentChangeSeq(db));

  r.get('/sync/pull', { schema: { querystring: PullQuery } }, async (request) => {
    const auth = authOf(request);
    const { cursor } = request.query;
    const limit = Math.min(request.query.limit, options.pullPageMax);
    const rule = visibilityRule(auth.user);
    const key = `${rule.kind === 'all' ? 'all' : `org:${rule.orgCode}`}:${cursor}:${limit}`;
    // After a poke every desk asks for the same few pages: answer them from one read. A page
    // read at change-sequence head H is the answer for anyone who asks while the head is still
    // H (or who asked before it moved on): the head is read on arrival, and a page read at that
    // head or later is reused.
    const head = await heads.read();
    const page = await pages.get(key, head, () => readPage(rule, auth.user, cursor, limit));
    const response: PullResponse = {
      // KVKK masking depends on the reader's organisation, which the page's key already fixes;
      // the feed's other personal data is masked here, per request.
      changes: await maskPersonalData(db, auth.user.orgCode, page.changes),
      cursor: page.cursor,
      more: page.more,
      scope: scopeFingerprint(auth),
    };
    return response;
  });

  r.post('/sync/number-blocks', { schema: { body: EmptyBody } }, async (request) => {
    const auth = authOf(request);
    if (!REGISTERING_ROLES.has(auth.user.role)) {
      throw new ApiError(403, 'forbidden', 'Only roles that register ŞÖKs lease numbers.', {
        userMessage: 'Bu hesap kayıt numarası alamaz.',
      });
    }
    return leaseNumberBlock(db, auth, numberLimits(deps.config, options), clock(), request.log);
  });

  const pokes = new PokeRouter(db, notifier, (error) =>
    app.log.warn({ err: error }, 'could not scope a poke; poking every desk'),
  );
  app.addHook('onClose', () => pokes.close());

  app.get('/sync/live', { websocket: true }, (socket, request) => {
    const auth = authOf(request);
    const rule = visibilityRule(auth.user);
    const send = (seq: number) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'poke', seq }));
    };
    const unsubscribe = pokes.add(rule.kind === 'all' ? null : rule.orgCode, send);
    socket.on('close', unsubscribe);
    socket.on('message', () => socket.close(1003, 'this socket only sends'));
    // A first poke so a client that reconnects pulls what it missed.
    void currentChangeSeq(db).then(send, () => undefined);
  });
}
