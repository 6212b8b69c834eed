import { useMemo, useRef, useEffect, useState, type FormEvent } from 'react';
import { t } from '../../../src/domain/i18n/tr';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { Sok } from '../../../src/domain/sok';
import { SokRoutePayloadSchema } from '../../../src/domain/sync';
import { fieldErrors } from '../../../src/domain/validation';
import { call } from '../bridge';
import { Combobox } from '../ui/Combobox';
import { FieldLabel, FormError, TextField } from '../ui/fields';
import { formErrors, NO_ERRORS, withoutField, type FormErrors } from '../ui/form-errors';
import { ui, ORG_KIND_KEY } from '../i18n';
import { orgName, routingOrgOptions } from '../ui/org-options';
import { toast } from '../shell/toast-store';

/** Sends a ŞÖK on to another organisation; who, where and why go on its timeline. */
export function RouteForm({
  sok,
  reference,
  onDone,
}: {
  sok: Sok;
  reference: ReferenceSnapshot;
  onDone(): void;
}) {
  const [targetOrg, setTargetOrg] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const orgInput = useRef<HTMLInputElement>(null);
  const options = useMemo(
    () =>
      routingOrgOptions(reference.organisations, (kind) => ui(ORG_KIND_KEY[kind])).filter(
        (o) => o.code !== sok.targetOrg,
      ),
    [reference, sok.targetOrg],
  );

  useEffect(() => {
    orgInput.current?.focus();
  }, []);

  function check(): FormErrors | null {
    const fields: Record<string, string> = {};
    const parsed = SokRoutePayloadSchema.safeParse({ sokId: sok.id, targetOrg, reason });
    if (!parsed.success) Object.assign(fields, fieldErrors(parsed.error));
    if (targetOrg === '') fields.targetOrg = t('validation.required');
    else if (targetOrg === sok.targetOrg) fields.targetOrg = t('error.alreadyRouted');
    if (fields.reason && reason.trim().length < 5) fields.reason = ui('detail.routeReasonRequired');
    return Object.keys(fields).length > 0 ? { fields, form: ui('form.fixErrors') } : null;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const invalid = check();
    if (invalid) return setErrors(invalid);
    setBusy(true);
    try {
      const routed = await call('sok.route', { sokId: sok.id, targetOrg, reason });
      toast({
        tone: 'success',
        text: ui('detail.routed', {
          regNo: routed.regNo ?? ui('detail.noRegNo'),
          org: orgName(reference.organisations, targetOrg),
        }),
      });
      onDone();
    } catch (error) {
      setErrors(formErrors(error, ['targetOrg', 'reason']));
      setBusy(false);
    }
  }

  return (
    <form className="route-form stack" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{ui('detail.routeTitle')}</h3>
      <div className="field">
        <FieldLabel
          htmlFor="route-targetOrg"
          text={ui('detail.routeTarget')}
          error={errors.fields.targetOrg}
        />
        <Combobox
          id="route-targetOrg"
          options={options}
          value={targetOrg}
          onChange={(code) => {
            setTargetOrg(code);
            setErrors((x) => withoutField(x, 'targetOrg'));
          }}
          invalid={Boolean(errors.fields.targetOrg)}
          describedBy={errors.fields.targetOrg ? 'route-targetOrg-error' : undefined}
          placeholder={ui('route.orgPlaceholder')}
          inputRef={orgInput}
          groupHeadings
        />
      </div>
      <TextField
        id="route-reason"
        label={ui('detail.routeReason')}
        value={reason}
        onValueChange={(value) => {
          setReason(value);
          setErrors((x) => withoutField(x, 'reason'));
        }}
        error={errors.fields.reason}
        autoComplete="off"
      />
      <FormError message={errors.form} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? ui('detail.routeSaving') : ui('detail.routeSave')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {ui('common.cancel')}
        </button>
      </div>
    </form>
  );
}
