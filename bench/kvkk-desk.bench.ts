/**
 * `npm run bench -- --only kvkk-desk` — how many citizens' contact details a desk PC holds after
 * a month of normal work, and how many the desk retention drop (issue #19: closed ŞÖKs keep no
 * contact data on the PC after `deskClosedDays`, default 30) leaves.
 *
 * The month is the demo generator's (src/server/demo, `BENCH_KVKK_SOKS_PER_DAY` ŞÖKs a day,
 * default 10) on a real API (SQLite), synced by a real desk client core (a BİKOM agent, who sees
 * every ŞÖK). Two moments: the desk syncs at the end of the month, and a month later (the same
 * month generated 30 days earlier; nothing new registered since). "Would hold" is every pulled
 * ŞÖK with a name, phone or e-mail (what the desk kept before the drop existed); "holds" is what
 * is left on the PC after the drop.
 */
import fs from 'node:fs';
import { subDays } from 'date-fns';
import { buildApp } from '../src/server/app';
import { DEMO_PASSWORD, DEMO_USERS } from '../src/server/demo/accounts';
import { seedDemo } from '../src/server/demo/seed';
import { call, openClient, startTestApi, tempDir } from '../test/support/stack';
import type { Benchmark, Figures } from './lib';

const SOKS_PER_DAY = Number(process.env.BENCH_KVKK_SOKS_PER_DAY ?? 10);

interface Held {
  pulled: number;
  withContact: number;
  dropped: number;
  /** Of `withContact`, ŞÖKs not closed (kept whatever their age). */
  openWithContact: number;
  /** Demo actions the server's rules refused (e.g. a callback at night): left out. */
  refused: number;
  distinctCitizensHeld: number;
}

async function measure(endOfMonth: Date): Promise<Held> {
  const api = await startTestApi('sqlite');
  const dir = tempDir('alo153-kvkk-bench-');
  try {
    const summary = await seedDemo({
      db: api.server.db,
      config: api.server.config,
      notifier: api.server.notifier,
      buildApp,
      now: endOfMonth,
      soksPerDay: SOKS_PER_DAY,
    });
    const agent = DEMO_USERS.find((u) => u.role === 'agent')!;
    const core = openClient(dir, api.url);
    try {
      await call(core, 'auth.login', { username: agent.username, password: DEMO_PASSWORD });
      for (let i = 0; i < 20; i++) {
        await core.sync.syncNow();
        const status = core.sync.getStatus();
        if (status.state === 'online' && status.pending === 0) break;
      }
      const one = (sql: string) => core.db.prepare(sql).pluck().get() as number;
      const contact =
        "(citizen_name <> '' OR citizen_phone <> '' OR coalesce(citizen_email, '') <> '')";
      return {
        pulled: one('SELECT count(*) FROM sok'),
        withContact: one(`SELECT count(*) FROM sok WHERE ${contact}`),
        dropped: one('SELECT count(*) FROM sok WHERE personal_dropped_at IS NOT NULL'),
        refused: summary.rejected.length,
        openWithContact: one(`SELECT count(*) FROM sok WHERE status <> 'closed' AND ${contact}`),
        distinctCitizensHeld: one(
          `SELECT count(DISTINCT citizen_phone) FROM sok WHERE citizen_phone <> ''`,
        ),
      };
    } finally {
      await core.close();
    }
  } finally {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: 'kvkk-desk',
  description: 'citizens’ contact details on a desk after a month of work, before/after the drop',
  async run(): Promise<Figures[]> {
    const now = new Date();
    const rows = [];
    for (const [label, end] of [
      ['at the end of the month', now],
      ['a month later', subDays(now, 30)],
    ] as const) {
      const held = await measure(end);
      rows.push({
        moment: label,
        soks: held.pulled,
        before: held.dropped + held.withContact,
        after: held.withContact,
        open: held.openWithContact,
        numbers: held.distinctCitizensHeld,
        refused: held.refused,
      });
    }
    return [
      {
        title: `ŞÖKs with a citizen's contact details on a BİKOM desk (demo month, ${SOKS_PER_DAY}/day)`,
        columns: [
          { key: 'moment', label: 'desk syncs' },
          { key: 'soks', label: 'ŞÖKs on desk' },
          { key: 'before', label: 'with contacts, no drop' },
          { key: 'after', label: 'with contacts, after drop' },
          { key: 'open', label: 'of which open' },
          { key: 'numbers', label: 'distinct numbers held' },
          { key: 'refused', label: 'demo actions refused' },
        ],
        rows,
        notes: [
          'Open ŞÖKs keep their contacts (the work needs them); closed ones go after 30 days.',
        ],
      },
    ];
  },
};

export default bench;
