import { ui } from '../i18n';

/** Turkish text for a final SIP failure response to an INVITE. */
export function callFailureText(code: number, reason: string): string {
  if (code === 486 || code === 600) return ui('phone.busy');
  if (code === 404 || code === 604) return ui('phone.notFound');
  if (code === 480 || code === 408) return ui('phone.unavailable');
  return ui('phone.callFailed', { code, reason });
}

/** Turkish text for a getUserMedia failure. */
export function mediaErrorText(error: unknown): string | null {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return ui('phone.noMicrophone');
  if (name === 'NotAllowedError' || name === 'SecurityError') return ui('phone.microphoneDenied');
  return null;
}
