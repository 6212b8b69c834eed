import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../../domain/sok';
import { referenceJson, validDraft } from '../../../../test/support/client-fixtures';
import { migrate, schemaVersion } from '../migrate';
import { loadReferenceData } from '../reference-repo';
import { createSokRepo } from '../sok-repo';
import { latestVersion, migrations } from './index';

describe('0014-kvkk-desk', () => {
  it('keeps every ŞÖK of a version-13 store with its contact data, none marked, and an empty access log', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 13);
    loadReferenceData(db, referenceJson());
    const sok = createSokRepo(db).insert(SokDraftSchema.parse(validDraft), {
      regNo: null,
      originOrg: 'bikom',
      createdBy: 'u1',
      now: new Date('2026-10-01T08:00:00Z'),
    });

    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(latestVersion);
    const repo = createSokRepo(db);
    const after = repo.get(sok.id);
    expect(after).toMatchObject({ citizenName: 'Ayşe Işık', citizenPhone: sok.citizenPhone });
    expect(after?.personalDataOffDesk).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM access_outbox').pluck().get()).toBe(0);
  });
});
