import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SokDraftSchema } from '../../../domain/sok';
import { referenceJson, validDraft } from '../../../../test/support/client-fixtures';
import { migrate, schemaVersion } from '../migrate';
import { loadReferenceData, readReferenceData } from '../reference-repo';
import { createSokRepo } from '../sok-repo';
import { latestVersion, migrations } from './index';

describe('0018-external-orgs', () => {
  it('a version-14 store learns at its next start which organisations are outside the app', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, 14);
    loadReferenceData(db, referenceJson());
    const sok = createSokRepo(db).insert(SokDraftSchema.parse(validDraft), {
      regNo: '0000-0042',
      originOrg: 'bikom',
      createdBy: 'u1',
      now: new Date('2026-10-01T08:00:00Z'),
      targetOrg: 'uedas',
    });

    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(latestVersion);
    // The unchanged reference file is loaded again (the hash was dropped) and fills the mark.
    expect(loadReferenceData(db, referenceJson()).changed).toBe(true);
    const orgs = readReferenceData(db).organisations;
    expect(orgs.filter((o) => o.external === true).map((o) => o.code)).toEqual(
      expect.arrayContaining(['uedas', 'bursagaz']),
    );
    expect(orgs.find((o) => o.code === 'bikom')?.external).toBeUndefined();
    const page = createSokRepo(db).inbox('bikom', { state: 'external', offset: 0, limit: 10 });
    expect(page.items.map((s) => s.id)).toEqual([sok.id]);
  });
});
