/**
 * `npm run bench -- --only kvkk-lists` — what the KVKK access log costs a live callback queue
 * (issue #19: each list view that shows citizens' contact details is logged, once per ŞÖK and user
 * in 10 minutes). A desk store with `BENCH_KVKK_QUEUE` (default 500) open callbacks of one
 * organisation; one refresh is what the `callback.list` handler does: the store's queue page,
 * then (with logging) `logShownContacts` → the desk's one access log (src/client/sync/access-log.ts).
 * Three cases: no logging; the first refresh (every row is a new entry: one transaction of N
 * inserts into `access_outbox`); a later refresh within the 10 minutes (nothing new to store).
 */
import fs from 'node:fs';
import { addDays } from 'date-fns';
import { SokDraftSchema } from '../src/domain/sok';
import { createAccessLog } from '../src/client/sync/access-log';
import { logShownContacts } from '../src/client/handlers/access';
import { openDatabase } from '../src/client/store/database';
import { loadReferenceData } from '../src/client/store/reference-repo';
import { createSokRepo } from '../src/client/store/sok-repo';
import type { HandlerDeps } from '../src/client/handlers/deps';
import { referenceJson, tempDir, validDraft } from '../test/support/client-fixtures';
import { fmtMs, sample, summarize, type Benchmark, type Figures } from './lib';

const ROWS = Number(process.env.BENCH_KVKK_QUEUE ?? 500);
const REPS = 50;

const bench: Benchmark = {
  name: 'kvkk-lists',
  description: 'a callback queue refresh of 500 rows with and without the KVKK access log',
  run(): Promise<Figures[]> {
    const tmp = tempDir('alo153-kvkk-lists-');
    const db = openDatabase(`${tmp.dir}/store.sqlite`);
    try {
      loadReferenceData(db, referenceJson());
      const soks = createSokRepo(db);
      const at = new Date('2026-12-07T09:00:00Z');
      const draft = SokDraftSchema.parse(validDraft);
      db.transaction(() => {
        for (let i = 0; i < ROWS; i++) {
          const sok = soks.insert(draft, {
            regNo: null,
            originOrg: 'bikom',
            createdBy: 'u1',
            now: at,
          });
          soks.setWorkflow(
            sok.id,
            {
              status: 'decided',
              originOrg: 'bikom',
              targetOrg: 'ilce.yildirim',
              routeRuleId: null,
              routeReason: '',
              acceptedBy: 'u1',
              acceptedAt: at.toISOString(),
              decision: null,
              callback: {
                ownerOrg: 'ilce.yildirim',
                state: 'open',
                origin: 'decision',
                createdAt: at.toISOString(),
                dueAt: addDays(at, 3).toISOString(),
                closedAt: null,
                attempts: 0,
                lastAttemptAt: null,
                lastOutcome: null,
                claimedBy: null,
                claimedByName: null,
                claimUntil: null,
                escalation: 0,
              },
            } as Parameters<typeof soks.setWorkflow>[1],
            at,
          );
        }
      })();
      const refresh = () =>
        soks.callbacks({
          state: 'open',
          owner: 'any',
          offset: 0,
          limit: 500,
          orgCode: 'ilce.yildirim',
          userId: 'u1',
          now: at,
        });
      const shown = refresh().items.length;
      let user = 0;
      let now = at;
      const accessLog = createAccessLog(db);
      const deps = {
        accessLog,
        now: () => now,
        sessions: { load: () => ({ user: { id: `u${user}` } }) },
      } as unknown as Pick<HandlerDeps, 'sessions' | 'accessLog' | 'now'>;
      const logged = () => logShownContacts(deps, 'list', refresh().items, 'geri arama kuyruğu');

      const without = summarize(sample(refresh, { warmup: 3, reps: REPS }));
      // Each sample a new user: every row is a new entry (the first refresh of the 10 minutes).
      const first = summarize(
        sample(
          () => {
            user++;
            logged();
          },
          { warmup: 3, reps: REPS },
        ),
      );
      const entries = accessLog.count();
      // The same user again and again within the 10 minutes: nothing new.
      now = new Date(at.getTime() + 60_000);
      const again = summarize(sample(logged, { warmup: 3, reps: REPS }));
      const after = accessLog.count();
      // Without again, to show how much of the difference is the machine's noise.
      const withoutAgain = summarize(sample(refresh, { warmup: 3, reps: REPS }));
      const row = (label: string, s: ReturnType<typeof summarize>) => ({
        refresh: label,
        p50: fmtMs(s.p50),
        p95: fmtMs(s.p95),
        max: fmtMs(s.max),
      });
      return Promise.resolve([
        {
          title: `Callback queue refresh, ${shown} rows shown (desk store, ms)`,
          columns: [
            { key: 'refresh', label: 'refresh' },
            { key: 'p50', label: 'p50 ms' },
            { key: 'p95', label: 'p95 ms' },
            { key: 'max', label: 'max ms' },
          ],
          rows: [
            row('without the access log', without),
            row(`first of the 10 minutes (${shown} entries, one transaction)`, first),
            row('again within the 10 minutes (nothing new)', again),
            row('without the access log, measured again last', withoutAgain),
          ],
          notes: [
            `${entries} entries stored by ${REPS + 3} first refreshes; ${after - entries} by the repeated ones.`,
          ],
        },
      ]);
    } finally {
      db.close();
      fs.rmSync(tmp.dir, { recursive: true, force: true });
    }
  },
};

export default bench;
