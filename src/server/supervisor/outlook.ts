import { sql } from 'kysely';
import { LEGAL_RISK_DAYS, type OutlookResponse } from '../../domain/supervisor';
import { visibilityFor } from '../scope';
import type { FigureContext } from './figures';
import { addDays, istanbulDay, istanbulDayStart } from './period';
import { ENDED } from './stats';

const n = (v: unknown): number => Number(v ?? 0);
const DAY_MS = 86_400_000;

/**
 * Where the city stands now (issue #17 item 11), over the ŞÖKs the supervisor may see: open and
 * late ŞÖKs per district (one aggregate), and the legal-limit risk of the next days (one
 * aggregate per day, by receiving organisation).
 */
export async function outlookFigures(ctx: FigureContext): Promise<OutlookResponse> {
  const { db, user, now, names } = ctx;
  const nowIso = now.toISOString();
  const limitPassed = new Date(now.getTime() - 30 * DAY_MS).toISOString();
  const notInformed = sql`not (${ENDED})`;
  const base = db
    .selectFrom('sok')
    .where('deleted', '=', 0)
    .where('status', '!=', 'closed')
    .where(visibilityFor(user));
  const districts = await base
    .select([
      'district_code as key',
      (eb) => eb.fn.countAll<string>().as('open'),
      sql<string>`sum(case when (callback_state = 'open' and callback_due_at < ${nowIso})
        or (created_at <= ${limitPassed} and (callback_state is null or ${notInformed})) then 1 else 0 end)`.as(
        'late',
      ),
    ])
    .groupBy('district_code')
    .execute();

  // The limit is registration + 30 days: it falls on Istanbul day D for ŞÖKs registered on D − 30.
  const today = istanbulDay(now);
  const legalRisk: OutlookResponse['legalRisk'] = [];
  const byOrg = new Map<string, number>();
  for (let i = 0; i < LEGAL_RISK_DAYS; i++) {
    const day = addDays(today, i);
    const start = istanbulDayStart(addDays(day, -30));
    const end = istanbulDayStart(addDays(day, -29));
    const rows = await base
      .select(['target_org as org', (eb) => eb.fn.countAll<string>().as('count')])
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      // Today only those whose limit is still ahead.
      .$if(i === 0, (q) => q.where('created_at', '>', limitPassed))
      .where((eb) => eb.or([eb('callback_state', 'is', null), eb.not(eb.parens(ENDED))]))
      .groupBy('target_org')
      .execute();
    let count = 0;
    for (const r of rows) {
      count += n(r.count);
      const key = r.org ?? '';
      byOrg.set(key, (byOrg.get(key) ?? 0) + n(r.count));
    }
    legalRisk.push({ day, count });
  }
  return {
    asOf: nowIso,
    byDistrict: districts
      .map((r) => ({ key: r.key, name: names.district(r.key), open: n(r.open), late: n(r.late) }))
      .sort((a, b) => b.late - a.late || b.open - a.open || a.name.localeCompare(b.name, 'tr')),
    legalRisk,
    legalRiskByOrg: [...byOrg.entries()]
      .map(([key, count]) => ({ key, name: key === '' ? '—' : names.org(key), count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'tr')),
  };
}
