/**
 * The small harness every benchmark in bench/ shares. A benchmark is a module named
 * `<something>.bench.ts` whose default export is a {@link Benchmark}; `npm run bench` (bench/run.ts)
 * imports each in turn and prints the {@link Figures} it returns. Benchmarks report, they do not
 * assert: a missed target is printed as FAIL and the run still exits 0.
 */

import { parseEnv, type EnvSpec, type EnvValues } from '../src/domain/settings/env';

export type Cell = string | number | null;

export interface Column {
  key: string;
  label: string;
  /** Numbers are right-aligned by default, text left-aligned. */
  align?: 'left' | 'right';
}

/** One table of results. */
export interface Figures {
  title: string;
  columns: readonly Column[];
  rows: readonly Readonly<Record<string, Cell>>[];
  /** Lines printed under the table (targets, verdicts, caveats). */
  notes?: readonly string[];
}

export interface Benchmark {
  /** Short name used by `npm run bench -- --only <name>`. */
  name: string;
  description: string;
  run(): Promise<Figures[]>;
}

// ---------------------------------------------------------------------------------------------
// Timing

/** Monotonic clock in milliseconds (fractional), from process.hrtime.bigint(). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs fn once and returns its result with the elapsed wall time in milliseconds. */
export function timed<T>(fn: () => T): { result: T; ms: number } {
  const start = process.hrtime.bigint();
  const result = fn();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Calls fn `warmup` times untimed, then `reps` times timed; returns the samples in ms. */
export function sample(fn: () => unknown, opts: { warmup: number; reps: number }): number[] {
  for (let i = 0; i < opts.warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < opts.reps; i++) samples.push(timed(fn).ms);
  return samples;
}

// ---------------------------------------------------------------------------------------------
// Statistics

/**
 * Nearest-rank percentile (p in 0..100) of the samples: the smallest sample such that at least
 * p% of the samples are ≤ it. With 50 samples, p95 is the 48th smallest.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile out of range: ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sum = samples.reduce((a, b) => a + b, 0);
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples.length === 0 ? Number.NaN : Math.max(...samples),
    mean: samples.length === 0 ? Number.NaN : sum / samples.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting and output

/** Milliseconds with precision that suits the magnitude: 0.042, 3.51, 27.4, 1234. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return ms.toFixed(3);
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

export function fmtBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US').replace(/,/g, '_');
}

/** Progress messages go to stderr so stdout holds only the tables. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * A benchmark's settings from the environment, read with the domain's one parser: sizes are
 * `envCount` (1000000, 1_000_000, 1,000,000 or 1e6). Every bad variable is reported at once
 * (an EnvError, printed by run.ts); unset ones are left out for the caller's defaults.
 */
export function benchEnv<S extends EnvSpec>(spec: S): EnvValues<S> {
  return parseEnv(spec, process.env, { title: 'Invalid benchmark settings:' });
}

const NUMERIC = /^(?:[-+]?[\d_.,]+(?:×|%| ?[KMG]?i?B)?|–)$/;

function looksNumeric(cell: Cell | undefined): boolean {
  return cell == null || typeof cell === 'number' || cell === '' || NUMERIC.test(cell);
}

function cellText(cell: Cell): string {
  if (cell === null) return '';
  return typeof cell === 'number' ? String(cell) : cell;
}

/** Renders figures as a plain-text table (monospace, no colours, safe to paste into an issue). */
export function renderFigures(figures: Figures): string {
  const { columns, rows } = figures;
  const widths = columns.map((c) =>
    Math.max(c.label.length, ...rows.map((r) => cellText(r[c.key] ?? null).length)),
  );
  const aligns = columns.map(
    (c) =>
      c.align ?? (rows.length > 0 && rows.every((r) => looksNumeric(r[c.key])) ? 'right' : 'left'),
  );
  const line = (cells: string[]): string =>
    cells
      .map((text, i) => {
        const w = widths[i] ?? 0;
        return aligns[i] === 'right' ? text.padStart(w) : text.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  const out = [
    `== ${figures.title}`,
    line(columns.map((c) => c.label)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cellText(r[c.key] ?? null)))),
  ];
  for (const note of figures.notes ?? []) out.push(note);
  return out.join('\n');
}
