import { useCallback, useEffect, useRef, useState } from 'react';
import type { Sok, SokListInput } from '../../../src/domain/sok';
import { bridge, call } from '../bridge';

export const PAGE_SIZE = 100;
/** Pages kept in memory; the farthest from the one just loaded go first. */
const MAX_PAGES = 60;
/** Past the counted cap the list reaches this far beyond what is loaded, then grows again. */
const GROW_BEYOND_CAP = 10 * PAGE_SIZE;
/** Many changes arrive together during a sync: refresh once they settle. */
const REFRESH_AFTER_MS = 300;

export type ListFilter = Omit<SokListInput, 'offset' | 'limit'>;

interface Page {
  /** The refresh generation it was loaded in; older pages stay on screen until replaced. */
  version: number;
  items: Sok[];
}

interface Pages {
  filterKey: string;
  pages: Record<number, Page>;
  total: number | null;
  totalCap: number;
  /** The furthest row loaded so far, and where the list ends once a page came back short. */
  reached: number;
  knownEnd: number | null;
  /** The refresh generation `reached` and `knownEnd` come from (ŞÖKs come and go). */
  endsVersion: number;
  error: string | null;
}

/** Drops the pages farthest from `page` once there are too many (a long scroll loads many). */
function keepNear(pages: Record<number, Page>, page: number): Record<number, Page> {
  const keys = Object.keys(pages).map(Number);
  if (keys.length <= MAX_PAGES) return pages;
  const keep = keys.sort((a, b) => Math.abs(a - page) - Math.abs(b - page)).slice(0, MAX_PAGES);
  return Object.fromEntries(keep.map((k) => [k, pages[k] as Page]));
}

const fresh = (filterKey: string): Pages => ({
  filterKey,
  pages: {},
  total: null,
  totalCap: 0,
  reached: 0,
  knownEnd: null,
  endsVersion: 0,
  error: null,
});

export interface SokPages {
  /** Rows the list can scroll through (grows page by page beyond the counted cap). */
  count: number;
  total: number | null;
  totalCap: number;
  error: string | null;
  rowAt(index: number): Sok | null;
  /** Loads whatever pages rows start..end need (and reloads pages stale after a change). */
  ensure(start: number, end: number): void;
}

/**
 * sok.list in pages of 100, loaded as the rows come into view, so a list of 100,000 ŞÖKs costs
 * only the rows on screen. Reloads what is visible when ŞÖKs change.
 */
export function useSokPages(filter: ListFilter): SokPages {
  const filterKey = JSON.stringify(filter);
  const [state, setState] = useState<Pages>(() => fresh(filterKey));
  const [version, setVersion] = useState(0);
  const inflight = useRef(new Set<string>());
  const current = state.filterKey === filterKey ? state : fresh(filterKey);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = bridge?.on('sok.changed', () => {
      clearTimeout(timer);
      timer = setTimeout(() => setVersion((v) => v + 1), REFRESH_AFTER_MS);
    });
    return () => {
      clearTimeout(timer);
      off?.();
    };
  }, []);

  const { pages } = current;
  const ensure = useCallback(
    (start: number, end: number) => {
      const input = JSON.parse(filterKey) as ListFilter;
      for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(end / PAGE_SIZE); p++) {
        if (pages[p]?.version === version) continue;
        const tag = `${filterKey}|${version}|${p}`;
        if (inflight.current.has(tag)) continue;
        inflight.current.add(tag);
        call('sok.list', { ...input, offset: p * PAGE_SIZE, limit: PAGE_SIZE })
          .then(
            (page) =>
              setState((prev) => {
                const base = prev.filterKey === filterKey ? prev : fresh(filterKey);
                const existing = base.pages[p];
                if (existing && existing.version > version) return base;
                const end = p * PAGE_SIZE + page.items.length;
                const short = page.items.length < PAGE_SIZE;
                // After a refresh the old ends no longer hold: start them from this page.
                const renew = version > base.endsVersion;
                const knownEnd = renew ? null : base.knownEnd;
                return {
                  ...base,
                  reached: renew ? end : Math.max(base.reached, end),
                  knownEnd: short ? Math.min(knownEnd ?? end, end) : knownEnd,
                  endsVersion: Math.max(base.endsVersion, version),
                  pages: keepNear({ ...base.pages, [p]: { version, items: page.items } }, p),
                  total: page.total,
                  totalCap: page.totalCap,
                  error: null,
                };
              }),
            (error: unknown) =>
              setState((prev) => ({
                ...(prev.filterKey === filterKey ? prev : fresh(filterKey)),
                error: (error as Error).message,
              })),
          )
          .finally(() => inflight.current.delete(tag));
      }
    },
    [filterKey, version, pages],
  );

  // Past the cap the count is only "at least": the list reaches a little beyond what was loaded
  // and grows as the user gets there, until a page comes back short and the end is known.
  const { total, totalCap, reached, knownEnd } = current;
  const count =
    total === null
      ? 0
      : total < totalCap
        ? total
        : (knownEnd ?? Math.max(total, reached + GROW_BEYOND_CAP));

  return {
    count,
    total,
    totalCap,
    error: current.error,
    rowAt: (index) => pages[Math.floor(index / PAGE_SIZE)]?.items[index % PAGE_SIZE] ?? null,
    ensure,
  };
}
