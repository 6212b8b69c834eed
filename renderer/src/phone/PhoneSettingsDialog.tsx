import { useEffect, useState } from 'react';
import type { PhoneSettings } from '../../../src/domain/call';
import { t } from '../../../src/domain/i18n/tr';
import { BridgeError } from '../bridge';
import { Dialog } from '../ui/Dialog';
import { FieldLabel, FormError, Notice, TextField } from '../ui/fields';
import { deviceLabel, listAudioDevices, useMicrophoneTest, type AudioDevices } from './devices';
import { testRinger } from './ringer';
import { usePhoneSession } from './session';
import type { IceServer } from './types';
import { ui } from '../i18n';

const EMPTY: PhoneSettings = {
  server: '',
  sipUser: '',
  authUser: '',
  displayName: '',
  iceServers: [],
  microphoneId: '',
  speakerId: '',
  ringerId: '',
  autoAnswer: false,
  wrapUpSeconds: 30,
};

/** One ICE server per line: `stun:host:port` or `turn:host:port kullanıcı parola`. */
function iceToText(servers: readonly IceServer[]): string {
  return servers
    .map((s) =>
      [Array.isArray(s.urls) ? s.urls.join(',') : s.urls, s.username, s.credential]
        .filter(Boolean)
        .join(' '),
    )
    .join('\n');
}
function textToIce(text: string): IceServer[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [urls = '', username, credential] = line.split(/\s+/);
      return {
        urls: urls.includes(',') ? urls.split(',') : urls,
        ...(username ? { username } : {}),
        ...(credential ? { credential } : {}),
      };
    });
}

/**
 * The signed-in user's phone settings. The SIP password field is write-only: it is sent to the
 * core, which encrypts it; the form never receives it back.
 */
export function PhoneSettingsDialog() {
  const view = usePhoneSession((s) => s.view);
  const save = usePhoneSession((s) => s.saveSettings);
  const close = () => usePhoneSession.getState().openSettings(false);
  const [values, setValues] = useState<PhoneSettings>(view?.settings ?? EMPTY);
  const [ice, setIce] = useState(iceToText(view?.settings?.iceServers ?? []));
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [devices, setDevices] = useState<AudioDevices>({ inputs: [], outputs: [] });
  const refreshDevices = () => void listAudioDevices().then(setDevices);
  const mic = useMicrophoneTest(values.microphoneId, refreshDevices);
  useEffect(refreshDevices, []);

  const set = <K extends keyof PhoneSettings>(key: K, value: PhoneSettings[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const err = (key: string) => errors[`settings.${key}`] ?? errors[key];

  const submit = async () => {
    setSaving(true);
    setErrors({});
    setFormError(null);
    // Said at once with the other fields' problems (the core checks it only once they are valid).
    const local: Record<string, string> =
      !password && !view?.hasPassword ? { password: t('phone.passwordRequired') } : {};
    try {
      await save({ ...values, iceServers: textToIce(ice) }, password);
    } catch (e) {
      if (e instanceof BridgeError) {
        setErrors({ ...local, ...e.data.fields });
        setFormError(e.data.message);
      } else setFormError(String(e));
    } finally {
      setSaving(false);
    }
  };

  const deviceSelect = (
    id: string,
    label: string,
    key: 'microphoneId' | 'speakerId' | 'ringerId',
    list: MediaDeviceInfo[],
  ) => (
    <div className="field">
      <FieldLabel htmlFor={id} text={label} />
      <select id={id} value={values[key]} onChange={(e) => set(key, e.target.value)}>
        <option value="">{ui('phone.settings.systemDefault')}</option>
        {list
          .filter((d) => d.deviceId && d.deviceId !== 'default')
          .map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {deviceLabel(d, i)}
            </option>
          ))}
      </select>
    </div>
  );

  return (
    <Dialog title={ui('phone.settings')} onClose={close} wide id="phone-settings">
      <form
        className="phone-settings"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <TextField
          id="phone-server"
          label={ui('phone.settings.server')}
          placeholder="wss://santral.bursa.bel.tr:7443"
          value={values.server}
          onValueChange={(v) => set('server', v)}
          error={err('server')}
          autoFocus
        />
        <div className="field-row">
          <TextField
            id="phone-sipUser"
            label={ui('phone.settings.sipUser')}
            placeholder={ui('phone.settings.sipUserExample')}
            value={values.sipUser}
            onValueChange={(v) => set('sipUser', v)}
            error={err('sipUser')}
          />
          <TextField
            id="phone-authUser"
            label={ui('phone.settings.authUser')}
            value={values.authUser}
            onValueChange={(v) => set('authUser', v)}
            error={err('authUser')}
          />
        </div>
        <div className="field-row">
          <TextField
            id="phone-password"
            type="password"
            autoComplete="new-password"
            label={
              view?.hasPassword
                ? ui('phone.settings.passwordChange')
                : ui('phone.settings.password')
            }
            value={password}
            onValueChange={setPassword}
            error={err('password')}
          />
          <TextField
            id="phone-displayName"
            label={ui('phone.settings.displayName')}
            value={values.displayName}
            onValueChange={(v) => set('displayName', v)}
            error={err('displayName')}
          />
        </div>
        <div className="field">
          <FieldLabel
            htmlFor="phone-ice"
            text={ui('phone.settings.iceServers')}
            error={Object.entries(errors).find(([k]) => k.startsWith('settings.iceServers'))?.[1]}
          />
          <textarea
            id="phone-ice"
            rows={2}
            placeholder={ui('phone.settings.iceExample')}
            value={ice}
            onChange={(e) => setIce(e.target.value)}
          />
        </div>
        <fieldset className="phone-audio">
          <legend>{ui('phone.settings.audio')}</legend>
          {deviceSelect(
            'phone-microphone',
            ui('phone.settings.microphone'),
            'microphoneId',
            devices.inputs,
          )}
          <div className="mic-test">
            <button
              type="button"
              className="secondary small"
              onClick={() => void (mic.running ? mic.stop() : mic.start())}
            >
              {mic.running ? ui('phone.settings.micTestStop') : ui('phone.settings.micTest')}
            </button>
            <meter
              id="mic-level"
              min={0}
              max={1}
              low={0.05}
              high={0.8}
              value={mic.level}
              aria-label={ui('phone.settings.micLevel')}
            />
          </div>
          {mic.error ? (
            <Notice tone="warn" role="alert" id="mic-error">
              {mic.error}
            </Notice>
          ) : null}
          {deviceSelect(
            'phone-speaker',
            ui('phone.settings.speaker'),
            'speakerId',
            devices.outputs,
          )}
          <div className="field-row">
            {deviceSelect('phone-ringer', ui('phone.settings.ringer'), 'ringerId', devices.outputs)}
            <button
              type="button"
              className="secondary small"
              onClick={() => void testRinger(values.ringerId).catch(() => undefined)}
            >
              {ui('phone.settings.ringerTest')}
            </button>
          </div>
        </fieldset>
        <div className="field-row">
          <label className="check">
            <input
              id="phone-autoAnswer"
              type="checkbox"
              checked={values.autoAnswer}
              onChange={(e) => set('autoAnswer', e.target.checked)}
            />
            {ui('phone.settings.autoAnswer')}
          </label>
          <TextField
            id="phone-wrapUpSeconds"
            type="number"
            min={0}
            max={600}
            label={ui('phone.settings.wrapUpSeconds')}
            value={String(values.wrapUpSeconds)}
            onValueChange={(v) => set('wrapUpSeconds', Number(v) || 0)}
            error={err('wrapUpSeconds')}
          />
        </div>
        <FormError message={formError} />
        <div className="actions">
          <button type="submit" id="phone-settings-save" disabled={saving}>
            {saving ? ui('form.saving') : ui('phone.settings.save')}
          </button>
          <button type="button" className="secondary" onClick={close}>
            {ui('phone.settings.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
