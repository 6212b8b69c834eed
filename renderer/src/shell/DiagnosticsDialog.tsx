import { useEffect, useState } from 'react';
import type { Diagnostics } from '../../../src/domain/diagnostics';
import { call } from '../bridge';
import { Dialog } from '../ui/Dialog';
import { formatShort, ui } from '../i18n';
import { usePhone } from '../phone/store';
import { saveDownload } from '../supervisor/download';
import { toast } from './toast-store';

/** The two hosts by their catalogue key. */
const HOST_KEY = { electron: 'diag.host.electron', browser: 'diag.host.browser' } as const;

/**
 * "Tanı bilgisi": what IT asks for when something is wrong — versions, the data folder, the
 * central API, the phone's registration, the last sync errors — and the support bundle to send
 * them (no citizen's data in either). The same screen in both hosts, through the bridge.
 */
export function DiagnosticsDialog({ onClose }: { onClose(): void }) {
  const [info, setInfo] = useState<Diagnostics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const registration = usePhone((s) => s.registration);

  useEffect(() => {
    call('app.diagnostics', {})
      .then(setInfo)
      .catch((e: unknown) => setError((e as Error).message));
  }, []);

  const saveBundle = async () => {
    setSaving(true);
    try {
      saveDownload(
        await call('app.supportBundle', {
          sip: { state: registration.kind, message: registration.message },
        }),
      );
      toast({ tone: 'success', text: ui('diag.bundleSaved') });
    } catch (e) {
      toast({ tone: 'error', text: (e as Error).message });
    } finally {
      setSaving(false);
    }
  };

  const row = (label: string, value: string) => (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );

  return (
    <Dialog title={ui('diag.title')} onClose={onClose} wide>
      {error ? <p role="alert">{error}</p> : null}
      {!info ? (
        <p aria-busy="true">{ui('app.loading')}</p>
      ) : (
        <div className="diagnostics">
          <dl>
            {row(ui('diag.version'), `${info.version} (${ui(HOST_KEY[info.host])})`)}
            {row(
              ui('diag.versions'),
              Object.entries(info.versions)
                .map(([k, v]) => `${k} ${v}`)
                .join(', '),
            )}
            {row(ui('diag.platform'), info.platform)}
            {row(ui('diag.dataDir'), info.dataDir)}
            {row(ui('diag.logDir'), info.logDir ?? '—')}
            {row(ui('diag.apiUrl'), info.apiUrl)}
            {row(
              ui('diag.user'),
              info.user ? `${info.user.username} (${info.user.orgCode}, ${info.user.role})` : '—',
            )}
            {row(ui('diag.sipServer'), info.sipServer ?? '—')}
            {row(ui('diag.sip'), registration.message)}
            {row(
              ui('diag.sync'),
              ui('diag.syncLine', {
                state: info.sync.state,
                pending: info.sync.pending,
                rejected: info.sync.rejected,
                last: info.sync.lastSyncAt ? formatShort(info.sync.lastSyncAt) : '—',
              }),
            )}
            {info.shell
              ? Object.entries(info.shell).map(([k, v]) =>
                  row(k, typeof v === 'string' ? v : JSON.stringify(v)),
                )
              : null}
          </dl>
          <h3>{ui('diag.syncErrors')}</h3>
          {info.syncErrors.length === 0 && info.rejected.length === 0 ? (
            <p>{ui('diag.noSyncErrors')}</p>
          ) : (
            <ul className="diagnostics-errors">
              {info.syncErrors.map((e) => (
                <li key={`${e.at}-${e.message}`}>
                  {formatShort(e.at)} — {e.message}
                </li>
              ))}
              {info.rejected.map((r) => (
                <li key={r.mutationId}>
                  {formatShort(r.at)} — {r.kind}: {r.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {ui('common.close')}
        </button>
        <button type="button" disabled={saving} onClick={() => void saveBundle()}>
          {ui('diag.saveBundle')}
        </button>
      </div>
    </Dialog>
  );
}
