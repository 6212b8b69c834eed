import { useState } from 'react';
import type { RevealedContact } from '../../../src/domain/bridge/contract';
import type { Sok } from '../../../src/domain/sok';
import { call } from '../bridge';
import { ui } from '../i18n';

/**
 * KVKK "Göster": a role that sees contact details only on demand (docs/kvkk.md) asks for them
 * here; the core logs each reveal. The revealed values live only in the screen's state.
 */
export function RevealButton({
  id,
  onRevealed,
}: {
  id: string;
  onRevealed(contact: RevealedContact): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reveal = () => {
    setBusy(true);
    setError(null);
    call('sok.reveal', { id }).then(
      (contact) => {
        setBusy(false);
        onRevealed(contact);
      },
      (e: unknown) => {
        setBusy(false);
        setError((e as Error).message);
      },
    );
  };
  return (
    <>
      {' '}
      <button
        type="button"
        className="secondary small reveal"
        disabled={busy}
        title={ui('kvkk.reveal.help')}
        onClick={reveal}
      >
        {ui('kvkk.reveal')}
      </button>
      {error ? (
        <span role="alert" className="field-error">
          {' '}
          {error}
        </span>
      ) : null}
    </>
  );
}

/** The ŞÖK with the contact details revealed for it (if they are this ŞÖK's). */
export function withRevealed(sok: Sok | null, revealed: RevealedContact | null): Sok | null {
  if (sok === null || revealed === null || revealed.id !== sok.id || !sok.contactOnDemand) {
    return sok;
  }
  return {
    ...sok,
    contactOnDemand: undefined,
    citizenName: revealed.citizenName,
    citizenPhone: revealed.citizenPhone,
    citizenEmail: revealed.citizenEmail,
    contactMasked: false,
  };
}

/** An earlier ŞÖK's contact details in a list: masked, with "Göster" (on-demand roles only). */
export function RevealedLine({ sok }: { sok: Sok }) {
  const [revealed, setRevealed] = useState<RevealedContact | null>(null);
  if (!sok.contactOnDemand) return null;
  const shown = withRevealed(sok, revealed) ?? sok;
  return (
    <div className="muted reveal-line">
      {[shown.citizenName, shown.citizenPhone, shown.citizenEmail].filter(Boolean).join(' · ')}
      {shown.contactOnDemand ? <RevealButton id={sok.id} onRevealed={setRevealed} /> : null}
    </div>
  );
}
