import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { migrations } from './index';

describe('0012-canonical-call-numbers', () => {
  it('rewrites every form of a citizen’s number in the call log to E.164 and keeps extensions', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 11);
    const insert = db.prepare(
      `INSERT INTO call_log (id, user_id, sip_call_id, direction, number, started_at, ended_at,
         outcome, end_reason) VALUES (?, 'u1', ?, 'inbound', ?, '2026-03-02T08:50:00.000Z',
         '2026-03-02T08:51:00.000Z', 'missed', '')`,
    );
    const numbers = ['+905321234567', '05321234567', '5321234567', '905321234567', '1001', ''];
    numbers.forEach((n, i) => insert.run(`c${i}`, `sip-${i}`, n));
    migrate(db, migrations, 12);
    expect(schemaVersion(db)).toBe(12);
    expect(db.prepare('SELECT number FROM call_log ORDER BY id').pluck().all()).toEqual([
      '+905321234567',
      '+905321234567',
      '+905321234567',
      '+905321234567',
      '1001',
      '',
    ]);
  });
});
