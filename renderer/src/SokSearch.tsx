import { useEffect, useRef } from 'react';
import { formatPhoneForDisplay } from '../../src/domain/phone';
import type { ReferenceSnapshot } from '../../src/domain/reference';
import { ui } from './i18n';
import { useApp } from './store';

export function SokSearch({ reference }: { reference: ReferenceSnapshot | null }) {
  const query = useApp((s) => s.query);
  const results = useApp((s) => s.results);
  const more = useApp((s) => s.more);
  const searchError = useApp((s) => s.searchError);
  const search = useApp((s) => s.search);
  const input = useRef<HTMLInputElement>(null);

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
        autoComplete="off"
      />
      {searchError ? (
        <p className="form-error" role="alert">
          {searchError}
        </p>
      ) : null}
      {results.length === 0 ? (
        <p className="muted">{ui('search.empty')}</p>
      ) : (
        <ul className="results" aria-label={ui('search.results')}>
          {results.map((sok) => (
            <li key={sok.id} className="result">
              <div className="result-head">
                <span className="reg-no">{sok.regNo ?? '—'}</span>
                {sok.syncState === 'pending' ? (
                  <span className="tag pending" title={ui('search.pendingTitle')}>
                    {ui('search.pending')}
                  </span>
                ) : null}
                <span>{name(reference?.topics, sok.topicCode)}</span>
                <span>{name(reference?.districts, sok.districtCode)}</span>
              </div>
              <div className="result-body">{sok.description}</div>
              <div className="result-foot">
                {sok.citizenName} · {formatPhoneForDisplay(sok.citizenPhone)}
              </div>
            </li>
          ))}
        </ul>
      )}
      {more ? <p className="muted">{ui('search.more')}</p> : null}
    </section>
  );
}
