import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import { SokStatusSchema, type Sok, type SokStatus } from '../../../src/domain/sok';
import { Combobox } from '../ui/Combobox';
import { useDetail } from './detail-store';
import { FormError } from '../ui/fields';
import { formatCount, formatShort, istanbulDayStart, ui, ORG_KIND_KEY } from '../i18n';
import { routingOrgOptions } from '../ui/org-options';
import { namedOptions, statusName, topicLabel, topicOptions } from './sok-format';
import { useDebounced } from '../ui/use-debounced';
import { useSokPages, type ListFilter } from './use-sok-pages';

const ROW_HEIGHT = 56;

interface Filters {
  query: string;
  status: SokStatus | '';
  typeCode: string;
  topicCode: string;
  districtCode: string;
  targetOrg: string;
  /** Date inputs' 'YYYY-MM-DD' (Istanbul days). */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = {
  query: '',
  status: '',
  typeCode: '',
  topicCode: '',
  districtCode: '',
  targetOrg: '',
  from: '',
  to: '',
};

/** The bridge's filter: empty choices left out; "to" includes its whole day. */
function toListFilter(f: Filters): ListFilter {
  const from = f.from ? istanbulDayStart(f.from) : null;
  const to = f.to ? istanbulDayStart(f.to, 1) : null;
  return {
    query: f.query.trim().slice(0, 200),
    ...(f.status ? { status: f.status } : {}),
    ...(f.typeCode ? { typeCode: f.typeCode } : {}),
    ...(f.topicCode ? { topicCode: f.topicCode } : {}),
    ...(f.districtCode ? { districtCode: f.districtCode } : {}),
    ...(f.targetOrg ? { targetOrg: f.targetOrg } : {}),
    ...(from ? { from } : {}),
    ...(to && (!from || to > from) ? { to } : {}),
  };
}

/** Every ŞÖK this PC holds, filtered, in a virtualised list that loads pages as it scrolls. */
export function SokList({ reference }: { reference: ReferenceSnapshot }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const query = useDebounced(filters.query, 250);
  const listFilter = useMemo(() => toListFilter({ ...filters, query }), [filters, query]);
  const pages = useSokPages(listFilter);
  const filterKey = JSON.stringify(listFilter);
  const openDetail = useDetail((s) => s.open);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState({ key: filterKey, index: 0 });
  const activeIndex =
    active.key === filterKey ? Math.max(0, Math.min(active.index, pages.count - 1)) : 0;

  const topics = useMemo(() => topicOptions(reference), [reference]);
  const districts = useMemo(() => namedOptions(reference.districts), [reference]);
  const orgs = useMemo(
    () => routingOrgOptions(reference.organisations, (kind) => ui(ORG_KIND_KEY[kind])),
    [reference],
  );

  // The virtualiser hands out fresh functions each render; nothing here is memoised by a compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: pages.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;
  const { ensure } = pages;
  useEffect(() => ensure(first, last), [ensure, first, last]);

  // A new filter starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filterKey]);

  const names = useMemo(() => rowNames(reference), [reference]);
  const pick = useCallback(
    (index: number, sok: Sok | null) => {
      setActive({ key: filterKey, index });
      if (sok) openDetail(sok.id);
    },
    [filterKey, openDetail],
  );

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters((f) => ({ ...f, [key]: value }));

  function move(index: number) {
    if (pages.count === 0) return;
    const next = Math.max(0, Math.min(pages.count - 1, index));
    setActive({ key: filterKey, index: next });
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      PageDown: () => move(activeIndex + page),
      PageUp: () => move(activeIndex - page),
      Home: () => move(0),
      End: () => move(pages.count - 1),
      Enter: () => {
        const sok = pages.rowAt(activeIndex);
        if (sok) openDetail(sok.id);
      },
    };
    const action = keys[e.key];
    if (action && !e.altKey && !e.ctrlKey) {
      e.preventDefault();
      action();
    }
  }

  const rangeInvalid = filters.from !== '' && filters.to !== '' && filters.to < filters.from;
  const totalText =
    pages.total === null
      ? '…'
      : pages.total >= pages.totalCap && pages.totalCap > 0
        ? `${formatCount(pages.totalCap)}+`
        : formatCount(pages.total);
  const activeRendered = rows.some((r) => r.index === activeIndex);

  return (
    <main className="list-view" aria-labelledby="list-title">
      <section className="panel list-panel">
        <div className="panel-head">
          <h2 id="list-title">{ui('list.title')}</h2>
          <p className="list-total" aria-live="polite">
            <span id="sok-list-total">{totalText}</span> {ui('list.total')}
          </p>
        </div>
        <form
          className="list-filters"
          aria-label={ui('list.filters')}
          onSubmit={(e) => e.preventDefault()}
        >
          <div className="field grow">
            <label htmlFor="list-query">{ui('list.query')}</label>
            <input
              id="list-query"
              type="search"
              value={filters.query}
              placeholder={ui('list.queryPlaceholder')}
              onChange={(e) => set('query', e.target.value)}
              autoComplete="off"
            />
          </div>
          <div className="field">
            <label htmlFor="list-status">{ui('list.status')}</label>
            <select
              id="list-status"
              value={filters.status}
              onChange={(e) => set('status', e.target.value as SokStatus | '')}
            >
              <option value="">{ui('list.any')}</option>
              {SokStatusSchema.options.map((s) => (
                <option key={s} value={s}>
                  {statusName(s)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="list-typeCode">{ui('list.type')}</label>
            <select
              id="list-typeCode"
              value={filters.typeCode}
              onChange={(e) => set('typeCode', e.target.value)}
            >
              <option value="">{ui('list.any')}</option>
              {reference.sokTypes.map((t) => (
                <option key={t.code} value={t.code}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field wide">
            <label htmlFor="list-topicCode">{ui('list.topic')}</label>
            <Combobox
              id="list-topicCode"
              options={topics}
              value={filters.topicCode}
              onChange={(code) => set('topicCode', code)}
              placeholder={ui('list.anyPlaceholder')}
            />
          </div>
          <div className="field">
            <label htmlFor="list-districtCode">{ui('list.district')}</label>
            <Combobox
              id="list-districtCode"
              options={districts}
              value={filters.districtCode}
              onChange={(code) => set('districtCode', code)}
              placeholder={ui('list.anyPlaceholder')}
            />
          </div>
          <div className="field wide">
            <label htmlFor="list-targetOrg">{ui('list.targetOrg')}</label>
            <Combobox
              id="list-targetOrg"
              options={orgs}
              value={filters.targetOrg}
              onChange={(code) => set('targetOrg', code)}
              placeholder={ui('list.anyPlaceholder')}
              groupHeadings
            />
          </div>
          <div className="field">
            <label htmlFor="list-from">{ui('list.from')}</label>
            <input
              id="list-from"
              type="date"
              value={filters.from}
              onChange={(e) => set('from', e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="list-to">
              {ui('list.to')}
              {rangeInvalid ? (
                <span className="field-error" id="list-to-error" role="alert">
                  {ui('list.rangeInvalid')}
                </span>
              ) : null}
            </label>
            <input
              id="list-to"
              type="date"
              value={filters.to}
              min={filters.from || undefined}
              onChange={(e) => set('to', e.target.value)}
              aria-invalid={rangeInvalid || undefined}
              aria-describedby={rangeInvalid ? 'list-to-error' : undefined}
            />
          </div>
          <div className="field end">
            <button type="button" className="secondary" onClick={() => setFilters(NO_FILTERS)}>
              {ui('list.reset')}
            </button>
          </div>
        </form>
        <FormError message={pages.error} />
        <div className="sok-list-head" aria-hidden="true">
          <span>{ui('list.col.regNo')}</span>
          <span>{ui('list.col.date')}</span>
          <span>{ui('list.col.type')}</span>
          <span>{ui('list.col.topic')}</span>
          <span>{ui('list.col.place')}</span>
          <span>{ui('list.col.target')}</span>
          <span>{ui('list.col.status')}</span>
        </div>
        <div
          id="sok-list"
          ref={scrollRef}
          role="listbox"
          tabIndex={0}
          aria-label={ui('list.title')}
          aria-describedby="sok-list-help"
          aria-activedescendant={activeRendered ? `sok-list-row-${activeIndex}` : undefined}
          onKeyDown={onKeyDown}
        >
          {pages.total === 0 ? <p className="muted list-empty">{ui('list.empty')}</p> : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {rows.map((row) => (
              <ListRow
                key={row.key}
                index={row.index}
                start={row.start}
                count={pages.count}
                sok={pages.rowAt(row.index)}
                active={row.index === activeIndex}
                names={names}
                onPick={pick}
              />
            ))}
          </div>
        </div>
        <p className="muted list-help" id="sok-list-help">
          {ui('list.help')}
        </p>
      </section>
    </main>
  );
}

interface RowNames {
  type: ReadonlyMap<string, string>;
  topic: ReadonlyMap<string, string>;
  district: ReadonlyMap<string, string>;
  org: ReadonlyMap<string, string>;
}

/** Code → text lookups, built once per reference snapshot (rows render while scrolling). */
function rowNames(reference: ReferenceSnapshot): RowNames {
  return {
    type: new Map(reference.sokTypes.map((t) => [t.code, t.name])),
    topic: new Map(reference.topics.map((t) => [t.code, topicLabel(reference, t.code)])),
    district: new Map(reference.districts.map((d) => [d.code, d.name])),
    org: new Map(reference.organisations.map((o) => [o.code, o.shortName])),
  };
}

/** One row; memoised, so scrolling renders only the rows that come into view. */
const ListRow = memo(function ListRow({
  index,
  start,
  count,
  sok,
  active,
  names,
  onPick,
}: {
  index: number;
  start: number;
  count: number;
  sok: Sok | null;
  active: boolean;
  names: RowNames;
  onPick(index: number, sok: Sok | null): void;
}) {
  return (
    <div
      id={`sok-list-row-${index}`}
      role="option"
      aria-selected={active}
      aria-setsize={count}
      aria-posinset={index + 1}
      className={[
        'sok-list-row',
        active ? 'active' : '',
        sok ? '' : 'loading',
        index % 2 ? 'odd' : '',
      ].join(' ')}
      style={{ height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={() => onPick(index, sok)}
    >
      {sok ? (
        <>
          <span className="reg-no">
            {sok.regNo ?? '—'}
            {sok.syncState === 'pending' ? (
              <span className="tag pending" title={ui('search.pendingTitle')}>
                {ui('search.pending')}
              </span>
            ) : null}
          </span>
          <span>{formatShort(sok.createdAt)}</span>
          <span>{names.type.get(sok.typeCode) ?? sok.typeCode}</span>
          <span className="cell-topic">{names.topic.get(sok.topicCode) ?? sok.topicCode}</span>
          <span>
            {names.district.get(sok.districtCode) ?? sok.districtCode}
            {sok.mahalle ? ` / ${sok.mahalle}` : ''}
          </span>
          <span>{sok.targetOrg ? (names.org.get(sok.targetOrg) ?? sok.targetOrg) : '—'}</span>
          <span>
            <span className={`tag status-${sok.status}`}>{statusName(sok.status)}</span>
          </span>
          <span className="row-desc">{sok.description}</span>
        </>
      ) : (
        <span className="muted">{ui('list.loading')}</span>
      )}
    </div>
  );
});
