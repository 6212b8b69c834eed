import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { referenceJson } from '../../../../test/support/client-fixtures';
import { migrate, schemaVersion } from '../migrate';
import { loadReferenceData, readReferenceData } from '../reference-repo';
import { migrations } from './index';

describe('0008-calls', () => {
  it('keeps the store’s data, adds the phone tables and reloads reference data with extensions', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 6);
    loadReferenceData(db, referenceJson());
    db.prepare(
      "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('sok.route', 's1', '{}', 'x')",
    ).run();
    migrate(db, migrations, 8);
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    for (const table of ['phone_settings', 'call_log', 'agent_state_log']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    expect(loadReferenceData(db, referenceJson())).toEqual({ changed: true });
    const orgs = readReferenceData(db).organisations;
    expect(orgs.find((o) => o.code === 'ilce.nilufer')?.sipExtension).toMatch(/^\d{4}$/);
  });
});
