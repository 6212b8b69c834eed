import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { Sok } from '../../../src/domain/sok';
import { formatShort, ui } from '../i18n';
import { topicLabel } from '../sok/sok-format';

/**
 * Alt+M ("mevcut ŞÖK"): this call joins the open ŞÖK offered in the form. Alt+B is the phone's
 * hold (phone/shortcuts.ts), which works from anywhere.
 */
export function isJoinDuplicateKey(e: KeyboardEvent): boolean {
  return e.altKey && !e.ctrlKey && (e.code === 'KeyM' || e.key.toLocaleLowerCase('tr') === 'm');
}

/**
 * In the form, right under the phone number the agent just typed: the open ŞÖK on the same topic
 * in the same mahalle, and how to add this call to it (the next Tab, or Alt+M from any field of
 * the intake).
 * The caller panel beside the form keeps the full list.
 */
export function DuplicateOffer({
  duplicates,
  reference,
  adding,
  onAdd,
}: {
  duplicates: readonly Sok[];
  reference: ReferenceSnapshot;
  adding: string | null;
  onAdd(sok: Sok): void;
}) {
  const sok = duplicates[0];
  if (!sok) return null;
  return (
    <div className="duplicate-offer" id="duplicate-offer" role="status">
      <p>
        <strong>{ui('caller.duplicates')}:</strong>{' '}
        <span className="reg-no">{sok.regNo ?? '—'}</span> · {topicLabel(reference, sok.topicCode)}{' '}
        · {formatShort(sok.createdAt)}
        {duplicates.length > 1
          ? ` ${ui('caller.moreDuplicates', { count: duplicates.length - 1 })}`
          : ''}
      </p>
      <button
        type="button"
        className="small"
        id="duplicate-offer-add"
        disabled={adding !== null}
        aria-keyshortcuts="Alt+M"
        onClick={() => onAdd(sok)}
      >
        {adding === sok.id ? ui('caller.adding') : ui('caller.addToExistingShortcut')}
      </button>
    </div>
  );
}
