import { canonicalPhone } from '../../../domain/phone';
import type { Migration } from '../migrate';

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
