/**
 * Runs `job` now and then every `intervalSeconds` (0 or less: never), never overlapping itself:
 * a tick that finds the previous pass still running is skipped. `close` stops the timer and
 * waits for the pass in progress. The job handles its own errors.
 */
export function startPeriodicJob(
  intervalSeconds: number,
  job: () => Promise<void>,
): { close(): Promise<void> } {
  if (intervalSeconds <= 0) return { close: () => Promise.resolve() };
  let running: Promise<void> | null = null;
  let stopped = false;
  const pass = () => {
    if (stopped || running !== null) return;
    running = job().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(pass, intervalSeconds * 1000);
  timer.unref();
  pass();
  return {
    async close() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
