import type { Migration } from '../migrate';

/**
 * The softphone: per-user phone settings (the SIP password is not here, see phone-secrets.ts),
 * the local call log, the agent's state changes, and organisations' internal numbers for the
 * transfer directory. Reference data is reloaded so the numbers appear at once.
 */
export const calls: Migration = {
  version: 8,
  name: '0008-calls',
  up(db) {
    db.exec(`
      CREATE TABLE phone_settings (
        user_id    TEXT PRIMARY KEY,
        settings   TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE call_log (
        id             TEXT PRIMARY KEY,
        user_id        TEXT NOT NULL,
        sip_call_id    TEXT NOT NULL,
        direction      TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        number         TEXT NOT NULL,
        started_at     TEXT NOT NULL,
        answered_at    TEXT,
        ended_at       TEXT NOT NULL,
        outcome        TEXT NOT NULL,
        end_reason     TEXT NOT NULL DEFAULT '',
        disposition    TEXT,
        sok_id         TEXT,
        note           TEXT NOT NULL DEFAULT '',
        wrapped_up_at  TEXT
      ) STRICT;
      CREATE INDEX call_log_user_started ON call_log(user_id, started_at);
      CREATE INDEX call_log_missed ON call_log(outcome, started_at)
        WHERE direction = 'inbound' AND outcome IN ('missed', 'rejected');

      CREATE TABLE agent_state_log (
        id      TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        state   TEXT NOT NULL,
        reason  TEXT,
        at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX agent_state_log_user_at ON agent_state_log(user_id, at);

      ALTER TABLE organisation ADD COLUMN sip_extension TEXT;
      DELETE FROM meta WHERE key = 'reference.hash';
    `);
  },
};
