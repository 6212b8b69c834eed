import { Notice } from '../fields';
import { formatTime } from '../i18n';
import { sv } from './texts';

/** "Güncelleme: 02.03.2026 12:00" */
export function AsOf({ at }: { at: string }) {
  return (
    <span className="muted">
      {sv('asOf')}: {formatTime(at)}
    </span>
  );
}

export function OfflineNotice() {
  return (
    <Notice tone="warn" role="status">
      {sv('offline')}
    </Notice>
  );
}
