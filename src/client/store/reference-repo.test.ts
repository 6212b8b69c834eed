import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { referenceJson } from '../../../test/support/client-fixtures';
import { openDatabase, type Db } from './database';
import { loadReferenceData, readReferenceData } from './reference-repo';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('reference data', () => {
  it('loads the 17 districts of Bursa and the organisations from resources', () => {
    expect(loadReferenceData(db, referenceJson())).toEqual({ changed: true });
    const ref = readReferenceData(db);
    expect(ref.districts).toHaveLength(17);
    expect(ref.districts.map((d) => d.name)).toEqual(
      expect.arrayContaining(['Yıldırım', 'İnegöl', 'Mustafakemalpaşa', 'Büyükorhan']),
    );
    const kinds = new Set(ref.organisations.map((o) => o.kind));
    expect(kinds).toEqual(
      new Set([
        'call-centre',
        'metropolitan-unit',
        'municipal-company',
        'district-municipality',
        'institution',
      ]),
    );
    expect(ref.organisations.filter((o) => o.kind === 'district-municipality')).toHaveLength(17);
    expect(ref.topics.some((t) => t.parentCode === null)).toBe(true);
  });

  it('lists districts, organisations and topics in Turkish alphabetical order', () => {
    loadReferenceData(db, referenceJson());
    const ref = readReferenceData(db);
    const names = ref.districts.map((d) => d.name);
    // İnegöl and İznik come right after Harmancık, not after Yıldırım.
    expect(names.indexOf('İnegöl')).toBe(names.indexOf('Harmancık') + 1);
    expect(names.indexOf('İznik')).toBe(names.indexOf('İnegöl') + 1);
    expect(names.at(-1)).toBe('Yıldırım');
    const districtOrgs = ref.organisations
      .filter((o) => o.kind === 'district-municipality')
      .map((o) => o.name);
    expect(districtOrgs.indexOf('İnegöl Belediyesi')).toBeLessThan(
      districtOrgs.indexOf('Yıldırım Belediyesi'),
    );
    const topicNames = ref.topics.map((t) => t.name);
    expect(topicNames).toEqual(
      [...topicNames].sort(new Intl.Collator('tr', { sensitivity: 'base' }).compare),
    );
    expect(ref.topics.map((t) => t.code)).not.toEqual(ref.topics.map((t) => t.code).sort());
  });

  it('does nothing when the same data is loaded again', () => {
    loadReferenceData(db, referenceJson());
    expect(loadReferenceData(db, referenceJson())).toEqual({ changed: false });
  });

  it('applies an edited file: renamed rows change, removed unused rows go', () => {
    const data = referenceJson() as {
      channels: { code: string; name: string }[];
      version: number;
    };
    loadReferenceData(db, data);
    const edited = {
      ...data,
      channels: [
        { code: 'telefon', name: 'Telefon (153)' },
        ...data.channels.filter((c) => c.code !== 'telefon' && c.code !== 'sosyal-medya'),
      ],
    };
    expect(loadReferenceData(db, edited)).toEqual({ changed: true });
    const channels = readReferenceData(db).channels;
    expect(channels.find((c) => c.code === 'telefon')?.name).toBe('Telefon (153)');
    expect(channels.some((c) => c.code === 'sosyal-medya')).toBe(false);
  });

  it('rejects invalid reference data without touching the store', () => {
    loadReferenceData(db, referenceJson());
    expect(() => loadReferenceData(db, { version: 1, districts: [] })).toThrow();
    expect(readReferenceData(db).districts).toHaveLength(17);
  });
});
