import type { ReactNode } from 'react';
import { Notice } from '../ui/fields';
import { formatTime, ui } from '../i18n';

/** "Güncelleme: 02.03.2026 12:00" */
export function AsOf({ at }: { at: string }) {
  return (
    <span className="muted">
      {ui('supervisor.asOf')}: {formatTime(at)}
    </span>
  );
}

export function OfflineNotice() {
  return (
    <Notice tone="warn" role="status">
      {ui('supervisor.offline')}
    </Notice>
  );
}

/** A numeric column of a {@link SectionTable}: its heading and what a row shows in it. */
export interface Column<R> {
  label: string;
  cell(row: R): ReactNode;
}

/**
 * A breakdown by one dimension (organisation, district, ...) in a collapsible section: the first
 * column names the row, the others are numeric. Long lists start collapsed.
 */
export function SectionTable<R extends { key: string; name: string }>({
  title,
  first,
  columns,
  rows,
  keyed = false,
}: {
  title: string;
  first: string;
  columns: Column<R>[];
  rows: R[];
  /** Mark each row with its key (`data-key`). */
  keyed?: boolean;
}) {
  return (
    <details className="sv-section" open={rows.length <= 20}>
      <summary>
        <h3>{title}</h3>
      </summary>
      {rows.length === 0 ? (
        <p className="muted">{ui('supervisor.empty')}</p>
      ) : (
        <table className="user-table sv-table">
          <thead>
            <tr>
              <th scope="col">{first}</th>
              {columns.map((c) => (
                <th key={c.label} scope="col" className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-key={keyed ? r.key : undefined}>
                <th scope="row">{r.name}</th>
                {columns.map((c) => (
                  <td key={c.label} className="num">
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
