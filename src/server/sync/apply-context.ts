import type { Kysely } from 'kysely';
import type { RoutingRule } from '../../domain/routing';
import type { MutationError, MutationKind, SokWire } from '../../domain/sync';
import type { AuthContext } from '../auth/context';
import type { Database, NotificationChannel } from '../db/schema';
import type { TextVersionCache } from '../kvkk/texts';
import type { ReferenceIndex } from './reference-index';
import { directWriter, type SyncWriter, type WriteBatch } from './batch';

/**
 * What every mutation applier gets and answers (src/server/sync/mutations.ts dispatches; the
 * workflow's and the calls' appliers live beside their modules and import only this).
 */

export type ApplyOutcome =
  | { status: 'applied'; seq: number }
  | { status: 'rejected'; error: MutationError; entity: SokWire | null };

export interface ApplyContext {
  trx: Kysely<Database>;
  auth: AuthContext;
  reference: ReferenceIndex;
  rules: readonly RoutingRule[];
  now: Date;
  /**
   * When set (a push group, see push.ts), the appliers of `BATCHED_KINDS` read and write
   * through it instead of `trx`; it writes to `trx` when flushed. Other appliers use `trx` and
   * never see it (push.ts flushes it before them).
   */
  batch?: WriteBatch;
  /** This process's cache of the KVKK text versions (read from `trx` without it). */
  texts?: TextVersionCache;
  /** Receipt channels this instance cannot send (see ReceiptInput.unsendable). */
  unsendableChannels?: ReadonlySet<NotificationChannel>;
}

/** The mutation kinds whose appliers go through `ApplyContext.batch` (via `writer`). */
export const BATCHED_KINDS: ReadonlySet<MutationKind> = new Set([
  'sok.create',
  'sok.route',
  'sok.addContact',
]);

/** Where an applier reads and writes: the push's batch, or straight to the transaction. */
export function writer(ctx: ApplyContext): SyncWriter {
  return ctx.batch ?? directWriter(ctx.trx);
}

export type Applier = (ctx: ApplyContext, payload: unknown) => Promise<ApplyOutcome>;
