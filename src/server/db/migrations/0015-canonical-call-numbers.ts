import type { Kysely } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * canonicalPhone as src/domain/phone.ts had it when this migration shipped, frozen here so
 * that the migration does the same thing forever: E.164 when the caller ID (bare, or inside a
 * sip:/tel: URI, with any separators) is a valid number, else the bare number part; '' stays ''.
 */
function canonicalPhone(raw: string): string {
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
  const number = s.replace(/[\s()./-]/g, '');
  if (number === '') return '';
  // "0090 532 …" and "90532…" are common when numbers are copied from other systems.
  const cleaned = number.replace(/^00/, '+').replace(/^(90\d{10})$/, '+$1');
  const phone = parsePhoneNumberFromString(cleaned, 'TR');
  return phone?.isValid() ? phone.number : number;
}

/**
 * Call-log numbers in the one stored form (canonicalPhone, E.164): rows written before it kept
 * the caller ID as the exchange presented it ('+905321234567', '05321234567', '5321234567'), so
 * an answered callback dialled in the national form never settled a missed call presented with
 * +90. Each distinct number is rewritten once; numbers that are no phone number (an internal
 * extension) stay as they are. There is no way back to the presented form, and none is needed:
 * down leaves the numbers canonical.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const rows = (await db.selectFrom('call_log').select('number').distinct().execute()) as {
    number: string;
  }[];
  for (const { number } of rows) {
    const canonical = canonicalPhone(number);
    if (canonical === number || canonical.length > 64) continue;
    await db
      .updateTable('call_log')
      .set({ number: canonical })
      .where('number', '=', number)
      .execute();
  }
}

export async function down(): Promise<void> {
  // Canonical numbers are valid in the previous schema too.
}
