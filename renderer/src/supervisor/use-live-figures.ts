import { useEffect, useState } from 'react';
import { bridge, BridgeError } from '../bridge';

/** How often figures are re-read even when nothing changed here (due times pass by themselves). */
const INTERVAL_MS = 15_000;

export interface Live<T> {
  data: T | null;
  error: string | null;
  /** The central API could not be reached: the figures shown (if any) are the last ones read. */
  offline: boolean;
  reload(): void;
}

/**
 * Figures from the central API that refresh when a ŞÖK changes (the desk's sync brought someone's
 * work: the bridge's 'sok.changed') and on a short interval. Bursts of changes are read once.
 */
export function useLiveFigures<T>(load: () => Promise<T>, key: string): Live<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = bridge?.on('sok.changed', () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        setTick((n) => n + 1);
      }, 150);
    });
    const interval = setInterval(() => setTick((n) => n + 1), INTERVAL_MS);
    return () => {
      off?.();
      clearInterval(interval);
      if (timer !== null) clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setOffline(false);
      },
      (e: unknown) => {
        if (!live) return;
        const unavailable = e instanceof BridgeError && e.data.code === 'unavailable';
        setOffline(unavailable);
        setError(unavailable ? null : e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
    };
    // `load` is rebuilt every render; `key` says when what it loads changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);

  return { data, error, offline, reload: () => setTick((n) => n + 1) };
}
