import { dialStringFor } from '../../../src/domain/call';
import { formatPhoneForDisplay } from '../../../src/domain/phone';
import { usePhoneSession } from './session';
import { usePhone } from './store';
import { ui } from '../i18n';

/**
 * Click-to-call beside a citizen's number anywhere in the app (ŞÖK detail, caller context, call
 * log, missed calls). `phone` is as stored (E.164 or an internal number); any other form of a
 * number is shown the same way.
 */
export function CallButton({
  phone,
  callbackFor,
}: {
  phone: string;
  /** The ŞÖK whose callback task this call is for: its result proposes the attempt. */
  callbackFor?: string;
}) {
  const registered = usePhone((s) => s.registration.kind === 'registered');
  const dial = usePhone((s) => s.dial);
  if (!phone) return null;
  const display = formatPhoneForDisplay(phone);
  return (
    <button
      type="button"
      className="call-button secondary small"
      aria-label={ui('phone.callTo', { number: display })}
      title={registered ? ui('phone.callTo', { number: display }) : ui('phone.callNotReady')}
      disabled={!registered}
      onClick={() =>
        void (callbackFor
          ? usePhoneSession.getState().callForCallback(callbackFor, phone)
          : dial(dialStringFor(phone)))
      }
    >
      {ui('phone.call')}
    </button>
  );
}
