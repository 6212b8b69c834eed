import { useEffect, useState } from 'react';
import type { SokAttachment } from '../../../src/domain/api/mailbox';
import { call } from '../bridge';
import { formatCount, ui } from '../i18n';
import { saveDownload } from '../supervisor/download';
import { FormError } from '../ui/fields';

/**
 * The attachments a ŞÖK carries over from the e-mail it was registered from (and mail added to it
 * later), on the ŞÖK detail (docs/mailbox.md). They stay on the central API, which serves them to
 * whoever may see the ŞÖK: listed and downloaded online only. Nothing is shown for a ŞÖK without.
 */
export function SokAttachments({ sokId, fromMail }: { sokId: string; fromMail: boolean }) {
  const [attachments, setAttachments] = useState<SokAttachment[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('mailbox.sokAttachments', { sokId }).then(
      (list) => {
        if (live) setAttachments(list);
      },
      () => {
        if (live) setUnavailable(true);
      },
    );
    return () => {
      live = false;
    };
  }, [sokId]);

  const download = async (id: string) => {
    try {
      setError(null);
      saveDownload(await call('mailbox.attachment', { id }));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  // Offline, only a ŞÖK registered from an e-mail says where its attachments are.
  if (unavailable && fromMail) {
    return (
      <p className="muted" id="sok-detail-attachments-offline">
        {ui('detail.attachmentsOffline')}
      </p>
    );
  }
  if (unavailable || attachments === null || attachments.length === 0) return null;
  return (
    <section aria-labelledby="detail-attachments-title" id="sok-detail-attachments">
      <h3 id="detail-attachments-title">{ui('detail.attachments')}</h3>
      <FormError message={error} />
      <ul className="mail-attachment-list">
        {attachments.map((a) => (
          <li key={a.id}>
            {a.refused === null ? (
              <button type="button" className="secondary small" onClick={() => void download(a.id)}>
                {a.filename}
              </button>
            ) : (
              <span className="muted">
                {a.filename} — {ui('mailbox.attachmentRefused')}
              </span>
            )}{' '}
            <span className="muted">
              {formatCount(Math.ceil(a.size / 1024))} KB ·{' '}
              {a.via === 'registered'
                ? ui('detail.attachmentFromMail')
                : ui('detail.attachmentFromLinkedMail')}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
