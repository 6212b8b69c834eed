/**
 * Registration numbers (kayıt numarası) are read to the citizen over the phone, so they are short
 * and grouped: seven digits of a system-wide sequence plus one Luhn check digit, shown as
 * "0012-3454". The check digit catches a single mistyped digit or a swap of two neighbours when a
 * citizen reads the number back.
 */
export const REG_NO_MAX_SEQUENCE = 9_999_999;

function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function formatRegNo(sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > REG_NO_MAX_SEQUENCE) {
    throw new RangeError(`registration sequence out of range: ${sequence}`);
  }
  const body = String(sequence).padStart(7, '0');
  const full = `${body}${luhnCheckDigit(body)}`;
  return `${full.slice(0, 4)}-${full.slice(4)}`;
}

/** Accepts "0012-3454", "00123454", "0012 3454"; returns the sequence or null if not valid. */
export function parseRegNo(text: string): number | null {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{8}$/.test(digits)) return null;
  const body = digits.slice(0, 7);
  if (luhnCheckDigit(body) !== Number(digits[7])) return null;
  const sequence = Number(body);
  return sequence >= 1 ? sequence : null;
}
