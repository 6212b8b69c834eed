/**
 * Registering a ŞÖK locally: what an agent waits for after Ctrl+Enter. One call of the real
 * bridge handler (`sok.create` through the dispatcher): validation, routing suggestion, the row,
 * its search rows (name, place, full text; phone ending and number are columns of the row), a leased registration number and the outbox entry, in one SQLite
 * transaction with synchronous=FULL. The store already holds BENCH_REGISTER_EXISTING ŞÖKs.
 *
 *   npm run bench -- --only register
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SokDraftSchema } from '../src/domain/sok';
import { createSokRepo } from '../src/client/store/sok-repo';
import { openClient, signInAs, startTestApi, tempDir, validDraft } from '../test/support/stack';
import {
  benchEnv,
  fmtInt,
  fmtMs,
  nowMs,
  percentile,
  progress,
  summarize,
  type Benchmark,
  type Figures,
} from './lib';
import { envCount, envInt } from '../src/domain/settings/env';
import { z } from 'zod';

const TARGET_P95_MS = 2;

const bench: Benchmark = {
  name: 'register',
  description: 'registering a ŞÖK locally (row + search index + number + outbox, one transaction)',
  async run(): Promise<Figures[]> {
    const env = benchEnv({
      existing: envInt('BENCH_REGISTER_EXISTING', z.number().int().min(0)),
      samples: envCount('BENCH_REGISTER_SAMPLES'),
    });
    const EXISTING = env.existing ?? 300_000;
    const SAMPLES = env.samples ?? 2_000;
    const api = await startTestApi('sqlite');
    const dir = tempDir('alo153-bench-register-');
    try {
      const core = openClient(dir, api.url, {
        sync: { auto: false, numberRefillThreshold: SAMPLES + 100 },
      });
      await signInAs(core);
      progress(`filling the store with ${fmtInt(EXISTING)} ŞÖKs`);
      const repo = createSokRepo(core.db);
      const draft = SokDraftSchema.parse(validDraft);
      const fill = core.db.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) {
          repo.insert(
            { ...draft, citizenName: `Vatandaş ${i}`, description: `${draft.description} ${i}` },
            {
              regNo: null,
              now: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
              originOrg: 'bikom',
              createdBy: 'x',
            },
          );
        }
      });
      for (let i = 0; i < EXISTING; i += 10_000) fill(i, Math.min(EXISTING, i + 10_000));

      progress(`registering ${fmtInt(SAMPLES)} ŞÖKs through the bridge handler`);
      const samples: number[] = [];
      const cpuSamples: number[] = [];
      const cpuMs = () => {
        const c = process.cpuUsage();
        return (c.user + c.system) / 1000;
      };
      const load0 = os.loadavg()[0] ?? 0;
      for (let i = 0; i < SAMPLES + 50; i++) {
        const c0 = cpuMs();
        const t0 = nowMs();
        const result = await core.dispatch('sok.create', {
          ...validDraft,
          citizenName: `Arayan ${i}`,
          description: `Konteyner ${i} numaralı sokakta taşıyor, lütfen boşaltın.`,
        });
        const ms = nowMs() - t0;
        const cpu = cpuMs() - c0;
        if (!result.ok) throw new Error(`registration failed: ${JSON.stringify(result.error)}`);
        if (i >= 50) {
          // the first ones warm the statement cache
          samples.push(ms);
          cpuSamples.push(cpu);
        }
      }
      const s = summarize(samples);
      const c = summarize(cpuSamples);
      const load1 = os.loadavg()[0] ?? 0;
      const outbox = core.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
      const withNumber = core.db
        .prepare("SELECT count(*) FROM sok WHERE reg_no IS NOT NULL AND created_by <> 'x'")
        .pluck()
        .get() as number;
      await core.close();
      const file = path.join(dir, 'alo153.sqlite');
      return [
        {
          title: `register a ŞÖK locally (store with ${fmtInt(EXISTING)} ŞÖKs, synchronous=FULL, WAL)`,
          columns: [
            { key: 'what', label: 'what' },
            { key: 'n', label: 'samples' },
            { key: 'p50', label: 'p50' },
            { key: 'p95', label: 'p95' },
            { key: 'p99', label: 'p99' },
            { key: 'max', label: 'max' },
            { key: 'verdict', label: `p95 ≤ ${TARGET_P95_MS} ms` },
          ],
          rows: [
            {
              what: 'sok.create (dispatcher → handler → one transaction)',
              n: samples.length,
              p50: fmtMs(s.p50),
              p95: fmtMs(s.p95),
              p99: fmtMs(percentile(samples, 99)),
              max: fmtMs(s.max),
              verdict: s.p95 <= TARGET_P95_MS ? 'PASS' : 'FAIL',
            },
            {
              what: '  its CPU time (process.cpuUsage)',
              n: cpuSamples.length,
              p50: fmtMs(c.p50),
              p95: fmtMs(c.p95),
              p99: fmtMs(percentile(cpuSamples, 99)),
              max: fmtMs(c.max),
              verdict: '',
            },
          ],
          notes: [
            `outbox entries written: ${fmtInt(outbox)}; registered with a final number: ${fmtInt(withNumber)}`,
            `store file ${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB`,
            `load average (1 min) ${load0.toFixed(2)} before the samples, ${load1.toFixed(2)} after, ${os.cpus().length} cores; wall time includes waiting for a core and for fsync (synchronous=FULL)`,
          ],
        },
      ];
    } finally {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
