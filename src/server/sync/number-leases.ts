import { sql, type Kysely } from 'kysely';
import { formatRegNo, REG_NO_MAX_SEQUENCE } from '../../domain/regno';
import type { NumberBlock } from '../../domain/sync';
import type { AuthContext } from '../auth/context';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';
import { ApiError } from '../http/errors';
import { t } from '../i18n';
import { foreignStream } from './streams';

/**
 * The number plan (docs/sync.md): registration numbers 1 … 9,999,999 come from one counter.
 * Desks lease blocks of it for offline registration, each user within a ceiling of unused
 * numbers and a lease rate; the last `reserve` numbers are never leased, so ŞÖKs the server
 * numbers (online desks out of stock, Open311) still get one when leasing has stopped.
 */
export interface NumberLeaseLimits {
  blockSize: number;
  /** Most leased numbers one user may hold unused (over all their desks). */
  maxOutstanding: number;
  /** Most blocks one user may lease in an hour. */
  leasesPerHour: number;
  /** Numbers at the end of the space that are never leased. */
  reserve: number;
}

const HOUR_MS = 60 * 60 * 1000;
/** Blocks leased longer ago than this no longer count as held (a desk reinstalled, lost). */
const OUTSTANDING_WINDOW_MS = 30 * 24 * HOUR_MS;
/** Shares of the leasable space at which administrators are warned (log, GET /health). */
export const NUMBER_WARN_LEVELS = [0.8, 0.9, 0.95, 0.99] as const;
/** Key of the transaction-scoped advisory lock that serialises one user's leases (PostgreSQL). */
const LEASE_LOCK_KEY = 154;

export interface NumberLeaseLog {
  warn(data: object, message: string): void;
  error(data: object, message: string): void;
}

/** The last sequence that may be leased. */
export function leasableEnd(reserve: number): number {
  return Math.max(0, REG_NO_MAX_SEQUENCE - reserve);
}

/** Leases the next block to the caller's stream, or refuses with a clear error (never a 500). */
export async function leaseNumberBlock(
  db: ServerDb,
  auth: AuthContext,
  limits: NumberLeaseLimits,
  now: Date,
  log: NumberLeaseLog,
): Promise<NumberBlock> {
  const end = leasableEnd(limits.reserve);
  // Not under the write lock: no change sequence is allocated, and the counter row's own lock
  // keeps blocks disjoint; commit order does not matter for numbers. (Under load the lock is
  // the pushes' bottleneck, and every desk leases a block every few dozen ŞÖKs.)
  const block = await db.transaction().execute(async (trx) => {
    if (db.dialect === 'postgres') {
      // One user's leases one at a time, so two desks cannot both pass the limits below.
      await sql`select pg_advisory_xact_lock(${sql.lit(LEASE_LOCK_KEY)}, hashtext(${auth.user.id}))`.execute(
        trx,
      );
    }
    const stream = await trx
      .selectFrom('client')
      .select('user_id')
      .where('id', '=', auth.clientId)
      .executeTakeFirst();
    if (stream?.user_id !== auth.user.id) throw foreignStream();

    const recent = await trx
      .selectFrom('number_block')
      .select(['start', 'end_incl', 'leased_at'])
      .where('user_id', '=', auth.user.id)
      .where('leased_at', '>', new Date(now.getTime() - OUTSTANDING_WINDOW_MS).toISOString())
      .orderBy('leased_at')
      .execute();
    const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
    const lastHour = recent.filter((b) => b.leased_at > hourAgo);
    if (lastHour.length >= limits.leasesPerHour) {
      const retryAt = new Date(
        Date.parse((lastHour[0] as { leased_at: string }).leased_at) + HOUR_MS,
      ).toISOString();
      throw new ApiError(
        429,
        'rate-limited',
        `At most ${limits.leasesPerHour} number blocks per user per hour; retry at ${retryAt}.`,
        {
          userMessage: t('numbers.rateLimited'),
          retryAt,
          headers: {
            'retry-after': String(
              Math.max(1, Math.ceil((Date.parse(retryAt) - now.getTime()) / 1000)),
            ),
          },
        },
      );
    }
    const held = await unusedNumbers(trx, recent);
    if (held + limits.blockSize > limits.maxOutstanding) {
      throw new ApiError(
        409,
        'conflict',
        `This user holds ${held} leased numbers not yet used; at most ${limits.maxOutstanding} may be held.`,
        { userMessage: t('numbers.ceiling', { count: held }) },
      );
    }

    const bumped = await trx
      .updateTable('counter')
      .set((eb) => ({ value: eb('value', '+', limits.blockSize) }))
      .where('name', '=', 'reg_no')
      .where('value', '<=', end - limits.blockSize)
      .returning('value')
      .executeTakeFirst();
    if (bumped === undefined) {
      log.error(
        { leasableEnd: end, reserve: limits.reserve },
        'registration numbers: leasing stopped, only the reserve is left',
      );
      throw new ApiError(
        409,
        'conflict',
        `Registration numbers are no longer leased: only the last ${limits.reserve} of ${REG_NO_MAX_SEQUENCE} are left, kept for ŞÖKs the server numbers (register with regNo null).`,
        { userMessage: t('numbers.reserved') },
      );
    }
    const last = Number(bumped.value);
    const first = last - limits.blockSize + 1;
    await trx
      .insertInto('number_block')
      .values({
        start: first,
        end_incl: last,
        client_id: auth.clientId,
        user_id: auth.user.id,
        leased_at: now.toISOString(),
      })
      .execute();
    return { start: first, endIncl: last };
  });
  for (const level of NUMBER_WARN_LEVELS) {
    const at = Math.floor(end * level);
    if (block.start <= at && at <= block.endIncl) {
      log.warn(
        { usedShare: level, leasableEnd: end, reserve: limits.reserve },
        `registration numbers: ${Math.round(level * 100)}% of the leasable space is used`,
      );
    }
  }
  return block;
}

/** Numbers of these blocks that no ŞÖK on the server holds yet. */
async function unusedNumbers(
  trx: Kysely<Database>,
  blocks: readonly { start: number; end_incl: number }[],
): Promise<number> {
  let unused = 0;
  // Registration numbers sort as their sequences do ("0012-3454"), so a block is a text range.
  for (let i = 0; i < blocks.length; i += 200) {
    const part = blocks.slice(i, i + 200).map((b) => ({
      start: Number(b.start),
      end: Number(b.end_incl),
    }));
    const used = await trx
      .selectFrom('sok')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) =>
        eb.or(
          part.map((b) =>
            eb.and([
              eb('reg_no', '>=', formatRegNo(b.start)),
              eb('reg_no', '<=', formatRegNo(b.end)),
            ]),
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    unused += part.reduce((sum, b) => sum + b.end - b.start + 1, 0) - Number(used.n);
  }
  return unused;
}

export interface NumberSpaceStatus {
  /** Highest sequence handed out (leased or assigned). */
  used: number;
  /** Where leasing stops; beyond it only the server numbers ŞÖKs. */
  leasableEnd: number;
  max: number;
  /** `ok`, or the warning for administrators. */
  level: 'ok' | 'warning' | 'leasing-stopped' | 'exhausted';
  message: string | null;
}

/** How much of the number space is used, for GET /health. */
export async function numberSpaceStatus(
  db: Kysely<Database>,
  limits: Pick<NumberLeaseLimits, 'reserve' | 'blockSize'>,
): Promise<NumberSpaceStatus> {
  const { reserve, blockSize } = limits;
  const row = await db
    .selectFrom('counter')
    .select('value')
    .where('name', '=', 'reg_no')
    .executeTakeFirstOrThrow();
  const used = Number(row.value);
  const end = leasableEnd(reserve);
  const base = { used, leasableEnd: end, max: REG_NO_MAX_SEQUENCE };
  if (used >= REG_NO_MAX_SEQUENCE) {
    return {
      ...base,
      level: 'exhausted',
      message: 'Every registration number is used: new ŞÖKs are refused (docs/sync.md).',
    };
  }
  if (used > end - blockSize) {
    return {
      ...base,
      level: 'leasing-stopped',
      message: `Number leasing has stopped; ${REG_NO_MAX_SEQUENCE - used} server-assigned numbers are left.`,
    };
  }
  const share = end === 0 ? 1 : used / end;
  const reached = NUMBER_WARN_LEVELS.filter((level) => share >= level).at(-1);
  return reached === undefined
    ? { ...base, level: 'ok', message: null }
    : {
        ...base,
        level: 'warning',
        message: `${Math.round(reached * 100)}% of the leasable registration numbers are used; ${end - used} left before leasing stops.`,
      };
}
