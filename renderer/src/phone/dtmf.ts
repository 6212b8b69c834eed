/** DTMF over SIP INFO (application/dtmf-relay), the fallback when RFC 4733 is not negotiated. */
const DIGITS = /^[0-9A-D*#]+$/;

export function isDtmfDigits(digits: string): boolean {
  return DIGITS.test(digits);
}

export function dtmfInfoBody(digit: string, durationMs = 160): string {
  return `Signal=${digit}\r\nDuration=${durationMs}`;
}

/** The digit carried by an INFO request, or null when it is not a DTMF INFO. */
export function parseDtmfInfo(contentType: string | undefined, body: string): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/dtmf-relay') {
    const m = /^\s*Signal\s*=\s*([0-9A-D*#])\s*$/im.exec(body);
    return m ? m[1]!.toUpperCase() : null;
  }
  if (type === 'application/dtmf') {
    const d = body.trim().toUpperCase();
    return d.length === 1 && DIGITS.test(d) ? d : null;
  }
  return null;
}
