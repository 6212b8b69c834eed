import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import { contract } from '../../domain/api';
import { REGISTERING_ROLES } from '../../domain/session';
import type { AppDeps } from '../app-deps';
import { contractRoute } from '../http/contract-route';
import { ApiError } from '../http/errors';
import { authOf, type AuthContext } from '../auth/context';
import { currentChangeSeq } from '../db/write-lock';
import type { NotificationChannel } from '../db/schema';
import { visibilityRule } from '../scope';
import { HeadReader, PageCache, PokeRouter } from './live';
import { readPullPage } from './pull-query';
import type { ReferenceIndex } from './mutations';
import { coalescingPublisher } from '../changefeed/notifier';
import { leaseNumberBlock, type NumberLeaseLimits } from './number-leases';
import { applyPush } from './push';
import { maskPersonalData } from './privacy-filter';
import { pullBody, serialisePullPage, type SerialisedPage } from './pull-body';
import type { SeedStore } from './seeds';

export interface SyncOptions {
  /** Registration numbers per leased block. */
  numberBlockSize: number;
  /** Most changes in one pull page. */
  pullPageMax: number;
  /** Receipt channels this instance's worker cannot send: marked so when enqueued. */
  unsendableChannels?: readonly NotificationChannel[];
  /** First-sync seeds (./seeds.ts); none: GET /sync/seed answers 404 and desks pull pages. */
  seeds?: SeedStore | null;
}

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
  // Pushes committed together (a group) or close together share one NOTIFY.
  const publish = coalescingPublisher(notifier);
  const unsendable = new Set(options.unsendableChannels ?? []);

  contractRoute(app, contract.sync.push, {}, async (request) => {
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

  const pages = new PageCache<SerialisedPage>((page) => page.count);
  const heads = new HeadReader(() => currentChangeSeq(db));

  contractRoute(app, contract.sync.pull, {}, async (request) => {
    const auth = authOf(request);
    const { cursor } = request.query;
    const limit = Math.min(request.query.limit, options.pullPageMax);
    const rule = visibilityRule(auth.user);
    // KVKK masking depends on the reader's organisation: part of the key, also for a rule that
    // sees everything (whose readers may belong to different organisations).
    const viewerOrg = auth.user.orgCode;
    const scope = rule.kind === 'all' ? 'all' : `org:${rule.orgCode}`;
    const key = `${scope}:${viewerOrg}:${cursor}:${limit}`;
    // After a poke every desk asks for the same few pages: answer them from one read. A page
    // read at change-sequence head H is the answer for anyone who asks while the head is still
    // H (or who asked before it moved on): the head is read on arrival, and a page read at that
    // head or later is reused, masked and serialised once for all of them.
    const head = await heads.read();
    const page = await pages.get(key, head, async () => {
      const read = await readPullPage(db, rule, auth.user, cursor, limit);
      // The ŞÖKs come masked for the reader's organisation; the feed's other personal data
      // (contact events, receipts) is masked here.
      const changes = await maskPersonalData(db, viewerOrg, read.changes);
      return serialisePullPage({ ...read, changes });
    });
    return pullBody(page, scopeFingerprint(auth));
  });

  contractRoute(app, contract.sync.seed, {}, async (request, reply) => {
    const auth = authOf(request);
    const seed = options.seeds?.current(auth.user, await heads.read()) ?? null;
    if (seed === null || seed.format !== request.query.format) {
      throw new ApiError(
        404,
        'not-found',
        seed === null
          ? 'No seed for this scope yet; pull page by page.'
          : 'The seed is for another store format; pull page by page.',
      );
    }
    options.seeds?.open(seed);
    // Gzipped for a desk that accepts it (every desk's fetch does); the hash and `x-seed-size`
    // are the file's as the desk stores it.
    const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    const stream = fs.createReadStream(gzip ? seed.gzipFile : seed.file);
    const release = () => options.seeds?.release(seed);
    stream.once('close', release);
    if (gzip) void reply.header('content-encoding', 'gzip');
    void reply
      .header('content-type', 'application/vnd.sqlite3')
      .header('content-length', String(gzip ? seed.gzipSize : seed.size))
      .header('x-seed-size', String(seed.size))
      .header('x-seed-sha256', seed.sha256)
      .header('x-seed-scope', scopeFingerprint(auth))
      .header('x-seed-cursor', String(seed.cursor));
    return reply.send(stream);
  });

  contractRoute(app, contract.sync.leaseNumberBlock, {}, async (request) => {
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
