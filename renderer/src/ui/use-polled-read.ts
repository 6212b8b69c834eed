import { useEffect, useRef, useState } from 'react';

export interface PolledRead<T> {
  /** The last successful read (kept while a later read fails). */
  value: T | null;
  /** When it was read (Date.now()), for durations that tick on between reads. */
  at: number;
  /** The last read's error, until a read succeeds again. */
  error: string | null;
}

/**
 * Reads from the central API now and every `intervalMs`, one read at a time: a slow answer is
 * neither overtaken by the next read nor overwritten by an older one. The live boards and the
 * header's counts use it.
 */
export function usePolledRead<T>(
  read: () => Promise<T>,
  intervalMs: number,
  enabled = true,
): PolledRead<T> {
  const [state, setState] = useState<PolledRead<T>>({ value: null, at: 0, error: null });
  // `read` is rebuilt every render; the timer always calls the latest.
  const latest = useRef(read);
  useEffect(() => {
    latest.current = read;
  });

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let reading = false;
    const load = () => {
      if (reading) return;
      reading = true;
      void latest
        .current()
        .then(
          (value) => live && setState({ value, at: Date.now(), error: null }),
          (e: unknown) =>
            live && setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e) })),
        )
        .finally(() => (reading = false));
    };
    load();
    const poll = setInterval(load, intervalMs);
    return () => {
      live = false;
      clearInterval(poll);
    };
  }, [intervalMs, enabled]);
  return state;
}

/** The current time, renewed every `tickMs`: for waits and durations that count on screen. */
export function useNow(tickMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(tick);
  }, [tickMs]);
  return now;
}
