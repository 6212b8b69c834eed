import type { ReferenceData } from '../../../domain/reference';
import type { ServerDb } from '../../db/open';
import { visibilityFor, type ScopeUser } from '../../scope';
import { NO_STATS, usableMonths, type Usable } from '../stats';

/**
 * What every figure reads through: the database, the supervisor (whose scope, src/server/scope.ts,
 * bounds every query), the clock and the reference names.
 */

export interface Names {
  org(code: string): string;
  orgKind(code: string): string | undefined;
  topic(code: string): string;
  district(code: string): string;
  channel(code: string): string;
}

export function namesOf(data: ReferenceData): Names {
  const orgs = new Map(data.organisations.map((o) => [o.code, o]));
  const topics = new Map(data.topics.map((t) => [t.code, t.name]));
  const districts = new Map(data.districts.map((d) => [d.code, d.name]));
  const channels = new Map(data.channels.map((c) => [c.code, c.name]));
  return {
    org: (code) => orgs.get(code)?.name ?? code,
    orgKind: (code) => orgs.get(code)?.kind,
    topic: (code) => topics.get(code) ?? code,
    district: (code) => districts.get(code) ?? code,
    channel: (code) => channels.get(code) ?? code,
  };
}

export interface FigureContext {
  db: ServerDb;
  user: ScopeUser;
  now: Date;
  names: Names;
  /** Read months that are over from `sok_stats` (default); false: compute all from `sok`. */
  useStats?: boolean;
}

/** A count as the driver returns it (string, bigint or null) as a number. */
export const n = (v: unknown): number => Number(v ?? 0);

/** Which months the figures may read from `sok_stats` (none when the context says so). */
export async function usableOf(ctx: FigureContext): Promise<Usable> {
  return ctx.useStats === false ? NO_STATS : usableMonths(ctx.db, ctx.now);
}

/** The ŞÖKs the supervisor may see (not deleted, in their scope): where a figure's query starts. */
export function visibleSoks(ctx: Pick<FigureContext, 'db' | 'user'>) {
  return ctx.db.selectFrom('sok').where('deleted', '=', 0).where(visibilityFor(ctx.user));
}
