import {
  useCallback,
  useEffect,
  useEffectEvent,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent as ReactKeyboardEvent,
} from 'react';
import {
  SET_ASIDE_REASONS,
  type MailItem,
  type SetAsideReason,
} from '../../../src/domain/api/mailbox';
import { call } from '../bridge';
import { formatCount, formatShort, ui, type UiKey } from '../i18n';
import { saveDownload } from '../supervisor/download';
import { useSync } from '../sync/sync-store';
import { FormError, Notice } from '../ui/fields';
import { useMailIntake } from './mail-intake';

const REASON_KEY = {
  'not-a-request': 'mailbox.reason.notARequest',
  spam: 'mailbox.reason.spam',
  duplicate: 'mailbox.reason.duplicate',
  thanks: 'mailbox.reason.thanks',
} as const satisfies Record<SetAsideReason, UiKey>;

type Mode = 'view' | 'setAside' | 'link';

const senderOf = (item: MailItem) =>
  item.from.name ?? item.from.address ?? ui('mailbox.unknownSender');

/**
 * Alt+<letter>, as the app's other shortcuts. Alt+A, Alt+K and Alt+B are the phone's (global,
 * phone/shortcuts.ts), Alt+Y a new ŞÖK and Alt+M the duplicate offer: the queue keeps off them.
 */
const altKey = (e: KeyboardEvent, letter: string) =>
  e.altKey &&
  !e.ctrlKey &&
  (e.code === `Key${letter.toUpperCase()}` || e.key.toLocaleLowerCase('tr') === letter);

/**
 * The "E-posta" intake queue (docs/mailbox.md), keyboard first: ↑/↓ walk the mail (oldest
 * first), Alt+S registers the selected one as a ŞÖK (the intake form opens prefilled), Alt+E adds
 * it to an existing ŞÖK (offered at once when the mail names a registration number), Alt+X sets
 * it aside with a reason. Read from the central API: offline it says so.
 */
export function MailboxQueue({ onRegister }: { onRegister: () => void }) {
  const offline = useSync((s) => s.status?.state === 'offline');
  const [items, setItems] = useState<MailItem[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('view');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState<SetAsideReason>('not-a-request');
  const [note, setNote] = useState('');
  const [regNo, setRegNo] = useState('');
  const listRef = useRef<HTMLUListElement>(null);

  const selected = items?.find((i) => i.id === selectedId) ?? items?.[0] ?? null;

  const load = useCallback(
    () =>
      call('mailbox.list', { state: 'new' }).then(
        (list) => {
          setItems(list);
          setError(null);
        },
        (e: unknown) => setError((e as Error).message),
      ),
    [],
  );

  useEffect(() => {
    let live = true;
    call('mailbox.list', { state: 'new' }).then(
      (list) => {
        if (live) setItems(list);
      },
      (e: unknown) => {
        if (live) setError((e as Error).message);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  /** Handled: it leaves the queue, the next one is selected, the list keeps the focus. */
  const handled = (id: string, message: string) => {
    setItems((list) => {
      if (!list) return list;
      const at = list.findIndex((i) => i.id === id);
      const rest = list.filter((i) => i.id !== id);
      setSelectedId(rest[Math.min(at, rest.length - 1)]?.id ?? null);
      return rest;
    });
    setMode('view');
    setDone(message);
    setError(null);
    requestAnimationFrame(() => listRef.current?.focus());
  };

  const startLink = () => {
    if (!selected) return;
    setRegNo(selected.mentionedRegNo ?? '');
    setMode('link');
    setDone(null);
    requestAnimationFrame(() => document.getElementById('mail-link-regno')?.focus());
  };
  const startSetAside = () => {
    if (!selected) return;
    setReason('not-a-request');
    setNote('');
    setMode('setAside');
    setDone(null);
    requestAnimationFrame(() => document.getElementById('mail-reason-not-a-request')?.focus());
  };
  const register = () => {
    if (!selected) return;
    useMailIntake.getState().offer(selected);
    onRegister();
  };
  const cancel = () => {
    setMode('view');
    requestAnimationFrame(() => listRef.current?.focus());
  };

  const submitSetAside = async (e: FormEvent) => {
    e.preventDefault();
    if (!selected || busy) return;
    setBusy(true);
    try {
      await call('mailbox.setAside', {
        id: selected.id,
        reason,
        ...(note.trim() !== '' ? { note } : {}),
      });
      handled(selected.id, ui('mailbox.setAsideDone', { reason: ui(REASON_KEY[reason]) }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submitLink = async (e: FormEvent) => {
    e.preventDefault();
    if (!selected || busy) return;
    setBusy(true);
    try {
      const linked = await call('mailbox.link', { id: selected.id, regNo });
      handled(selected.id, ui('mailbox.linkDone', { regNo: linked.regNo }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const onShortcut = useEffectEvent((e: KeyboardEvent) => {
    if (mode !== 'view' || !selected) return;
    if (altKey(e, 's')) {
      e.preventDefault();
      register();
    } else if (altKey(e, 'e')) {
      e.preventDefault();
      startLink();
    } else if (altKey(e, 'x')) {
      e.preventDefault();
      startSetAside();
    }
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onShortcut(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onListKey = (e: ReactKeyboardEvent<HTMLUListElement>) => {
    if (!items || items.length === 0) return;
    const at = Math.max(
      0,
      items.findIndex((i) => i.id === selected?.id),
    );
    const to =
      e.key === 'ArrowDown'
        ? Math.min(at + 1, items.length - 1)
        : e.key === 'ArrowUp'
          ? Math.max(at - 1, 0)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? items.length - 1
              : null;
    if (to !== null) {
      e.preventDefault();
      setSelectedId(items[to]!.id);
      setMode('view');
    } else if (e.key === 'Enter') {
      e.preventDefault();
      document.getElementById('mail-text')?.focus();
    }
  };

  const download = async (id: string) => {
    try {
      saveDownload(await call('mailbox.attachment', { id }));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="panel queue mailbox" aria-labelledby="mailbox-title" id="mailbox">
      <h2 id="mailbox-title">
        {ui('mailbox.title')}
        {items ? ` (${formatCount(items.length)})` : ''}
      </h2>
      <p className="muted">{ui('mailbox.keys')}</p>
      {offline ? (
        <Notice tone="warn" role="status" id="mailbox-offline">
          {ui('mailbox.offline')}
        </Notice>
      ) : null}
      <FormError message={error} />
      {done ? (
        <Notice tone="success" role="status" id="mailbox-done">
          {done}
        </Notice>
      ) : null}
      <button type="button" className="secondary small" onClick={() => void load()}>
        {ui('mailbox.refresh')}
      </button>
      {items && items.length === 0 ? (
        <p className="muted" id="mailbox-empty">
          {ui('mailbox.empty')}
        </p>
      ) : null}
      {items && items.length > 0 ? (
        <div className="mail-layout">
          <ul
            id="mail-list"
            role="listbox"
            aria-label={ui('mailbox.listLabel')}
            tabIndex={0}
            ref={listRef}
            aria-activedescendant={selected ? `mail-${selected.id}` : undefined}
            onKeyDown={onListKey}
          >
            {items.map((item) => (
              <li
                key={item.id}
                id={`mail-${item.id}`}
                role="option"
                aria-selected={item.id === selected?.id}
                className={item.id === selected?.id ? 'mail-row current' : 'mail-row'}
                onClick={() => {
                  setSelectedId(item.id);
                  setMode('view');
                }}
              >
                <span className="mail-from">{senderOf(item)}</span>{' '}
                <span className="mail-subject">{item.subject || ui('mailbox.noSubject')}</span>{' '}
                <span className="muted">{formatShort(item.receivedAt)}</span>
                {item.attachments.length > 0 ? (
                  <span className="mail-attachments">
                    {' '}
                    {ui('mailbox.attachmentCount', { count: item.attachments.length })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
          {selected ? (
            <article id="mail-detail" aria-labelledby="mail-detail-subject">
              <h3 id="mail-detail-subject">{selected.subject || ui('mailbox.noSubject')}</h3>
              <p>
                {ui('mailbox.from')}: <span id="mail-detail-from">{senderOf(selected)}</span>
                {selected.from.address && selected.from.name ? ` <${selected.from.address}>` : ''}
                {' · '}
                {formatShort(selected.receivedAt)}
              </p>
              {selected.mentionedRegNo ? (
                <Notice tone="info" role="status" id="mail-mention">
                  <span>{ui('mailbox.mentions', { regNo: selected.mentionedRegNo })}</span>{' '}
                  {mode === 'view' ? (
                    <button type="button" className="secondary small" onClick={startLink}>
                      {ui('mailbox.linkMentioned')}
                    </button>
                  ) : null}
                </Notice>
              ) : null}
              <pre id="mail-text" className="mail-text" tabIndex={0}>
                {selected.text}
              </pre>
              {selected.attachments.length > 0 ? (
                <ul className="mail-attachment-list" aria-label={ui('mailbox.attachments')}>
                  {selected.attachments.map((a) => (
                    <li key={a.id}>
                      {a.refused === null ? (
                        <button
                          type="button"
                          className="secondary small"
                          onClick={() => void download(a.id)}
                        >
                          {a.filename}
                        </button>
                      ) : (
                        <span className="muted">
                          {a.filename} — {ui('mailbox.attachmentRefused')}
                        </span>
                      )}{' '}
                      <span className="muted">{formatCount(Math.ceil(a.size / 1024))} KB</span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {mode === 'view' ? (
                <div className="actions">
                  <button type="button" id="mail-register" onClick={register}>
                    {ui('mailbox.register')}
                  </button>
                  <button type="button" className="secondary" onClick={startLink}>
                    {ui('mailbox.link')}
                  </button>
                  <button type="button" className="secondary" onClick={startSetAside}>
                    {ui('mailbox.setAside')}
                  </button>
                </div>
              ) : null}
              {mode === 'setAside' ? (
                <form
                  id="mail-set-aside"
                  onSubmit={(e) => void submitSetAside(e)}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') cancel();
                    // Enter on a reason confirms, as in the note field.
                    else if (e.key === 'Enter' && (e.target as HTMLInputElement).type === 'radio') {
                      e.preventDefault();
                      e.currentTarget.requestSubmit();
                    }
                  }}
                >
                  <fieldset>
                    <legend>{ui('mailbox.reason')}</legend>
                    {SET_ASIDE_REASONS.map((r) => (
                      <label key={r}>
                        <input
                          type="radio"
                          name="mail-reason"
                          id={`mail-reason-${r}`}
                          checked={reason === r}
                          onChange={() => setReason(r)}
                        />{' '}
                        {ui(REASON_KEY[r])}
                      </label>
                    ))}
                  </fieldset>
                  <label htmlFor="mail-note">{ui('mailbox.note')}</label>
                  <input
                    id="mail-note"
                    value={note}
                    maxLength={500}
                    onChange={(e) => setNote(e.target.value)}
                  />
                  <div className="actions">
                    <button type="submit" disabled={busy}>
                      {ui('mailbox.setAsideConfirm')}
                    </button>
                    <button type="button" className="secondary" onClick={cancel}>
                      {ui('common.cancel')}
                    </button>
                  </div>
                </form>
              ) : null}
              {mode === 'link' ? (
                <form
                  id="mail-link"
                  onSubmit={(e) => void submitLink(e)}
                  onKeyDown={(e) => e.key === 'Escape' && cancel()}
                >
                  <label htmlFor="mail-link-regno">{ui('mailbox.regNo')}</label>
                  <input
                    id="mail-link-regno"
                    value={regNo}
                    maxLength={20}
                    placeholder="0000-0018"
                    onChange={(e) => setRegNo(e.target.value)}
                  />
                  <div className="actions">
                    <button type="submit" disabled={busy}>
                      {ui('mailbox.linkConfirm')}
                    </button>
                    <button type="button" className="secondary" onClick={cancel}>
                      {ui('common.cancel')}
                    </button>
                  </div>
                </form>
              ) : null}
            </article>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
