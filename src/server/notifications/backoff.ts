/**
 * Delay before the next attempt after `attempts` failed ones: the configured schedule (the last
 * step repeats), spread ±25 % so that rows failing together (a provider outage) do not all
 * come back in the same second.
 */
export function retryDelayMs(
  attempts: number,
  scheduleSeconds: readonly number[],
  random: () => number = Math.random,
): number {
  const index = Math.min(Math.max(attempts, 1), scheduleSeconds.length) - 1;
  const base = (scheduleSeconds[index] ?? 60) * 1000;
  return Math.round(base * (0.75 + 0.5 * random()));
}
