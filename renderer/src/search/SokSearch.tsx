import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { formatPhoneForDisplay } from '../../../src/domain/phone';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import { useDetail } from '../sok/detail-store';
import { ui, SEARCH_MATCH_KEY } from '../i18n';
import { topicLabel } from '../sok/sok-format';
import { useSearch } from './search-store';

/** Arrow keys walk from the search field through the results; Enter opens one. */
function moveFocus(e: ReactKeyboardEvent<HTMLElement>, list: HTMLElement | null) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const buttons = Array.from(list?.querySelectorAll<HTMLButtonElement>('.result-open') ?? []);
  if (buttons.length === 0) return;
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const next = e.key === 'ArrowDown' ? at + 1 : at - 1;
  e.preventDefault();
  if (next < 0) document.getElementById('sok-search')?.focus();
  else buttons[Math.min(next, buttons.length - 1)]?.focus();
}

export function SokSearch({ reference }: { reference: ReferenceSnapshot | null }) {
  const query = useSearch((s) => s.query);
  const results = useSearch((s) => s.results);
  const more = useSearch((s) => s.more);
  const matchedBy = useSearch((s) => s.matchedBy);
  const indexing = useSearch((s) => s.indexing);
  const refresh = useSearch((s) => s.refresh);
  const searchError = useSearch((s) => s.searchError);
  const search = useSearch((s) => s.search);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const openDetail = useDetail((s) => s.open);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // While a freshly synced desk indexes its backlog, look again now and then so the notice goes
  // away (and the newly findable rows appear) without the agent typing again.
  useEffect(() => {
    if (indexing === 0) return;
    const timer = setTimeout(() => void refresh(), 3000);
    return () => clearTimeout(timer);
  }, [indexing, refresh]);

  const name = (list: { code: string; name: string }[] | undefined, code: string) =>
    list?.find((x) => x.code === code)?.name ?? code;

  return (
    <section className="panel" aria-labelledby="search-title">
      <h2 id="search-title">{query.trim() ? ui('search.results') : ui('search.latest')}</h2>
      <label htmlFor="sok-search" className="visually-hidden">
        {ui('search.label')}
      </label>
      <input
        id="sok-search"
        ref={input}
        type="search"
        value={query}
        placeholder={ui('search.placeholder')}
        onChange={(e) => void search(e.target.value)}
        onKeyDown={(e) => moveFocus(e, list.current)}
        autoComplete="off"
      />
      {indexing > 0 ? (
        <p className="muted search-indexing" role="status">
          {ui('search.indexing', { count: indexing.toLocaleString('tr-TR') })}
        </p>
      ) : null}
      {searchError ? (
        <p className="form-error" role="alert">
          {searchError}
        </p>
      ) : null}
      {results.length === 0 ? (
        <p className="muted">{ui('search.empty')}</p>
      ) : (
        <ul
          className="results"
          aria-label={ui('search.results')}
          ref={list}
          onKeyDown={(e) => moveFocus(e, list.current)}
        >
          {results.map((sok) => (
            <li key={sok.id} className="result">
              <button type="button" className="result-open" onClick={() => openDetail(sok.id)}>
                <span className="result-head">
                  <span className="reg-no">{sok.regNo ?? '—'}</span>
                  {matchedBy[sok.id] ? (
                    <span className="tag match" title={ui('search.matchTitle')}>
                      {ui(SEARCH_MATCH_KEY[matchedBy[sok.id]!])}
                    </span>
                  ) : null}
                  {sok.syncState === 'pending' ? (
                    <span className="tag pending" title={ui('search.pendingTitle')}>
                      {ui('search.pending')}
                    </span>
                  ) : null}
                  <span title={topicLabel(reference, sok.topicCode)}>
                    {name(reference?.topics, sok.topicCode)}
                  </span>
                  <span>{name(reference?.districts, sok.districtCode)}</span>
                </span>
                <span className="result-body">{sok.description}</span>
                <span className="result-foot">
                  {sok.citizenName}
                  {sok.citizenPhone ? ` · ${formatPhoneForDisplay(sok.citizenPhone)}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {more ? <p className="muted">{ui('search.more')}</p> : null}
    </section>
  );
}
