import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Migration } from '../migrate';

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
 * The desk's call log in the one stored form of a number (canonicalPhone, E.164), like the
 * central API's (its migration 0014): calls logged before kept the caller ID as presented
 * ('+90…', '0532…', '532…'). Calls still waiting in the outbox are canonicalised by the API when
 * they arrive (the call.log schema does it).
 */
export const canonicalCallNumbers: Migration = {
  version: 12,
  name: '0012-canonical-call-numbers',
  up(db) {
    const numbers = db.prepare('SELECT DISTINCT number FROM call_log').pluck().all() as string[];
    const update = db.prepare('UPDATE call_log SET number = ? WHERE number = ?');
    for (const number of numbers) {
      const canonical = canonicalPhone(number);
      if (canonical !== number && canonical.length <= 64) update.run(canonical, number);
    }
  },
};
