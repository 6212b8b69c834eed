import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Citizens' phone numbers are stored in E.164 (+905321234567) and shown in the national format
 * an agent reads aloud (0532 123 45 67). Parsing uses libphonenumber's maintained metadata, so
 * new mobile ranges and Bursa's 0224 landlines are accepted without hand-written patterns.
 */
export type PhoneParse =
  | { ok: true; e164: string; display: string; kind: 'mobile' | 'fixed' | 'other' }
  | { ok: false; reason: 'empty' | 'invalid' };

export function parseTurkishPhone(input: string): PhoneParse {
  const raw = input.trim();
  if (raw === '') return { ok: false, reason: 'empty' };
  // "0090 532 …" and "90532…" are common when numbers are copied from other systems.
  const cleaned = raw.replace(/^00/, '+').replace(/^(90\d{10})$/, '+$1');
  const phone = parsePhoneNumberFromString(cleaned, 'TR');
  if (!phone?.isValid()) return { ok: false, reason: 'invalid' };
  const type = phone.getType();
  const kind = type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' ? 'fixed' : 'other';
  return { ok: true, e164: phone.number, display: displayE164(phone.number), kind };
}

/**
 * The number in a caller ID or a dialled string, without a SIP/tel URI around it or the
 * separators people type: 'sip:+905321234567@gw;user=phone' → '+905321234567',
 * '"Ali" <tel:+90 532 123 45 67>' → '+905321234567', '0532 123 45 67' → '05321234567'.
 */
export function numberPart(raw: string): string {
  let s = raw.trim();
  const uri = /(?:^|<)\s*(?:sips?|tel):([^@;?>]*)/i.exec(s);
  if (uri) {
    s = uri[1] ?? '';
    try {
      s = decodeURIComponent(s);
    } catch {
      // A stray % is kept as it came.
    }
  }
  return s.replace(/[\s()./-]/g, '');
}

/**
 * The one form a phone number is stored and compared in (call log, missed calls, callbacks):
 * E.164 when it is a real number however it was presented ('+905321234567', '905321234567',
 * '05321234567', '5321234567', a SIP URI), otherwise the bare number part, so internal
 * extensions ('1001') and service numbers stay as dialled. '' stays '' (an anonymous caller).
 */
export function canonicalPhone(raw: string): string {
  const number = numberPart(raw);
  if (number === '') return '';
  const parsed = parseTurkishPhone(number);
  return parsed.ok ? parsed.e164 : number;
}

/**
 * Any stored or presented number as agents read it: '0532 123 45 67' for a Turkish number in
 * any of its forms, the international format for others, an internal extension as it is.
 */
export function formatPhoneForDisplay(stored: string): string {
  const e164 = canonicalPhone(stored);
  if (!e164.startsWith('+')) return e164 === '' ? stored.trim() : e164;
  return displayE164(e164);
}

function displayE164(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  if (phone.countryCallingCode !== '90') return phone.formatInternational();
  const n = phone.nationalNumber;
  // Turkish habit: 0532 123 45 67 (libphonenumber's national format uses parentheses).
  if (n.length === 10) return `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6, 8)} ${n.slice(8)}`;
  return phone.formatNational();
}

/**
 * Digit forms of a stored number that a search should match: +905321234567 can be typed as
 * 905321234567, 05321234567 or 5321234567.
 */
export function phoneSearchForms(e164: string): string[] {
  const digits = e164.replace(/\D/g, '');
  if (!digits.startsWith('90')) return [digits];
  const national = digits.slice(2);
  return [digits, `0${national}`, national];
}
