import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { bridge } from '../bridge';

export interface LivePage<T> {
  page: T | null;
  error: string | null;
  /** For a local change shown before the next read (which replaces it). */
  setPage: Dispatch<SetStateAction<T | null>>;
  /** For an action's error, shown until the next successful read. */
  setError: Dispatch<SetStateAction<string | null>>;
}

/**
 * A page (of ŞÖKs, missed calls, ...) that reloads whenever a ŞÖK changes (a local action or a
 * sync that brought someone else's work), so queues are live without a refresh button.
 */
export function useLivePage<T>(load: () => Promise<T>, key: string): LivePage<T> {
  const [page, setPage] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);

  useEffect(() => bridge?.on('sok.changed', () => setChanges((n) => n + 1)), []);
  // Due times pass while nobody touches anything: re-read every half minute.
  useEffect(() => {
    const timer = setInterval(() => setChanges((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    let live = true;
    load().then(
      (p) => {
        if (live) {
          setPage(p);
          setError(null);
        }
      },
      (e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
    };
    // `load` is rebuilt every render; `key` says when what it loads changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, changes]);
  return { page, error, setPage, setError };
}
