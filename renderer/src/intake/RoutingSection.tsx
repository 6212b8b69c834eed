import { useRef } from 'react';
import type { ComboOption } from '../ui/Combobox';
import { Combobox } from '../ui/Combobox';
import { FieldLabel } from '../ui/fields';
import { ui } from '../i18n';
import { comboProps, textProps, type IntakeBinding } from './binding';
import type { RoutePreviewState } from './use-route-preview';

/**
 * Where the ŞÖK goes: the routing rules' suggestion, or — with a reason — another organisation.
 * Without an override targetOrg is sent as null, so the server applies the same rules.
 */
export function RoutingSection({
  b,
  route,
  orgOptions,
  orgName,
  placeNames,
}: {
  b: IntakeBinding;
  route: RoutePreviewState;
  orgOptions: readonly ComboOption[];
  orgName(code: string): string;
  /** The chosen topic's and district's names, for the agent's reading of the suggestion. */
  placeNames: { topic: string; district: string };
}) {
  const { values, errors } = b;
  const orgInput = useRef<HTMLInputElement>(null);
  const { preview } = route;
  const overriding = values.override && values.targetOrg !== '';
  const sameAsSuggestion = overriding && values.targetOrg === preview?.targetOrg;

  function toggle() {
    const open = !values.override;
    b.set('override', open);
    if (open) requestAnimationFrame(() => orgInput.current?.focus());
  }

  return (
    <section className="routing" aria-labelledby="route-title">
      <h3 id="route-title">{ui('route.title')}</h3>
      {route.status === 'idle' ? (
        <p className="muted" id="route-hint">
          {ui('route.needTopic')}
        </p>
      ) : preview ? (
        <div className={route.status === 'loading' ? 'route-box stale' : 'route-box'}>
          <p
            id="route-suggestion"
            className={overriding && !sameAsSuggestion ? 'overridden' : undefined}
          >
            {ui('route.suggestion', { name: preview.targetName })}
          </p>
          <p className="route-explanation" id="route-explanation">
            {agentExplanation(preview.explanation, placeNames)}
          </p>
        </div>
      ) : route.status === 'loading' ? (
        <p className="muted" id="route-hint">
          {ui('route.loading')}
        </p>
      ) : route.error ? (
        <p className="form-error" id="route-hint">
          {route.error}
        </p>
      ) : (
        <p className="notice warn" id="route-hint">
          {ui('route.none')}
        </p>
      )}
      {overriding && !sameAsSuggestion ? (
        <p className="route-chosen" role="status">
          {ui('route.overrideChosen', { name: orgName(values.targetOrg) })}
        </p>
      ) : null}
      <button
        type="button"
        className={values.override ? 'secondary small toggle pressed' : 'secondary small toggle'}
        aria-expanded={values.override}
        aria-controls="route-override"
        onClick={toggle}
      >
        {ui('route.override')}
      </button>
      <div id="route-override" className="route-override" hidden={!values.override}>
        <div className="row">
          <div className="field grow">
            <FieldLabel
              htmlFor="sok-targetOrg"
              text={ui('route.targetOrg')}
              error={errors.targetOrg}
            />
            <Combobox
              {...comboProps(b, 'targetOrg')}
              placeholder={ui('route.orgPlaceholder')}
              options={orgOptions}
              inputRef={orgInput}
              groupHeadings
            />
          </div>
          <div className="field grow">
            <FieldLabel
              htmlFor="sok-routeReason"
              text={ui('route.reason')}
              error={errors.routeReason}
            />
            <input {...textProps(b, 'routeReason')} autoComplete="off" />
          </div>
        </div>
        {sameAsSuggestion ? <p className="field-hint">{ui('route.sameAsSuggestion')}</p> : null}
      </div>
    </section>
  );
}

/**
 * Why the ŞÖK goes there, in the agent's words: the topic and district by name, the place words
 * and the rule's note. Rule ids and codes (aydinlatma.sokak-lambasi) are for administrators.
 */
function agentExplanation(explanation: string, names: { topic: string; district: string }) {
  const place = /yer: ([^)]*)\)/.exec(explanation)?.[1];
  const note = /\): (.+)$/s.exec(explanation)?.[1];
  return [
    ui('route.because', names),
    place ? ui('route.becausePlace', { words: place }) : null,
    note ?? null,
  ]
    .filter(Boolean)
    .join(' ');
}
