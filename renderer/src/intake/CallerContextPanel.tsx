import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { Sok } from '../../../src/domain/sok';
import { useDetail } from '../sok/detail-store';
import { CallButton } from '../phone/CallButton';
import { FormError } from '../ui/fields';
import { formatShort, ui } from '../i18n';
import { orgShortName } from '../ui/org-options';
import { statusName, topicLabel } from '../sok/sok-format';
import type { CallerContextState } from './use-caller-context';
import { RevealedLine } from '../kvkk/Reveal';

/**
 * Beside the form while the caller is on the line: their earlier ŞÖKs and, first and loud, open
 * ŞÖKs on the same topic in the same mahalle, which this call can join instead of duplicating.
 */
export function CallerContextPanel({
  state,
  reference,
  adding,
  addError,
  onAdd,
}: {
  state: CallerContextState;
  reference: ReferenceSnapshot;
  /** The id of the ŞÖK the call is being added to. */
  adding: string | null;
  addError: string | null;
  onAdd(sok: Sok): void;
}) {
  const openDetail = useDetail((s) => s.open);
  const { context } = state;
  const org = (code: string | null) =>
    code === null ? ui('detail.notRouted') : orgShortName(reference.organisations, code);

  return (
    <section
      id="caller-context"
      className="panel caller-context"
      aria-labelledby="caller-title"
      aria-busy={state.status === 'loading'}
    >
      <h2 id="caller-title">
        {ui('caller.title')}
        {context?.phone ? <span className="caller-phone">{context.phone}</span> : null}
        {context?.phone ? <CallButton phone={context.phone} /> : null}
      </h2>
      {state.status === 'idle' ? <p className="muted">{ui('caller.empty')}</p> : null}
      {state.status === 'loading' && !context ? (
        <p className="muted">{ui('caller.loading')}</p>
      ) : null}
      <FormError message={state.error} />
      {context && context.duplicates.length > 0 ? (
        <div className="duplicates" role="alert">
          <h3>{ui('caller.duplicates')}</h3>
          <p>{ui('caller.duplicatesIntro')}</p>
          <ul>
            {context.duplicates.map((sok) => (
              <li key={sok.id} className="duplicate">
                <div className="duplicate-head">
                  <span className="reg-no">{sok.regNo ?? '—'}</span>
                  <span className="tag">{statusName(sok.status)}</span>
                  <span className="muted">{formatShort(sok.createdAt)}</span>
                </div>
                <div>{topicLabel(reference, sok.topicCode)}</div>
                <div className="muted">
                  {[sok.mahalle, sok.address].filter(Boolean).join(', ')} · {org(sok.targetOrg)}
                </div>
                <p className="excerpt">{sok.description}</p>
                <div className="actions">
                  <button type="button" disabled={adding !== null} onClick={() => onAdd(sok)}>
                    {adding === sok.id ? ui('caller.adding') : ui('caller.addToExisting')}
                  </button>
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() => openDetail(sok.id)}
                  >
                    {ui('caller.open')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
          <FormError message={addError} />
        </div>
      ) : null}
      {context ? (
        <>
          <h3>{ui('caller.earlier', { count: context.soks.length })}</h3>
          {context.soks.length === 0 ? (
            <p className="muted">{ui('caller.noEarlier')}</p>
          ) : (
            <ul className="earlier">
              {context.soks.map((sok) => (
                <li key={sok.id}>
                  <button type="button" className="row-button" onClick={() => openDetail(sok.id)}>
                    <span className="reg-no">{sok.regNo ?? '—'}</span>
                    <span className="muted">{formatShort(sok.createdAt)}</span>
                    <span className="earlier-topic">{topicLabel(reference, sok.topicCode)}</span>
                    <span className="tag">{statusName(sok.status)}</span>
                    <span className="muted">{org(sok.targetOrg)}</span>
                  </button>
                  <RevealedLine sok={sok} />
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
