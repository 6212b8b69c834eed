import { createHash } from 'node:crypto';
import {
  ReferenceDataSchema,
  type ReferenceData,
  type ReferenceSnapshot,
} from '../../domain/reference';
import { compareTurkish } from '../../domain/text';
import type { Db } from './database';

const META_KEY = 'reference.hash';

/**
 * Loads the shipped reference data into the store when it changed (by content hash). Rows that
 * disappeared from the file are removed unless something still refers to them.
 */
export function loadReferenceData(db: Db, raw: unknown): { changed: boolean } {
  const data = ReferenceDataSchema.parse(raw);
  const hash = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  const current = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(META_KEY);
  if (current === hash) return { changed: false };

  db.transaction(() => {
    const upsertDistrict = db.prepare(
      `INSERT INTO district (code, name) VALUES (@code, @name)
       ON CONFLICT(code) DO UPDATE SET name = excluded.name`,
    );
    for (const d of data.districts) upsertDistrict.run(d);

    // A store older than 0008 (migration tests load reference data at every version) has no
    // internal numbers yet.
    const hasExtension =
      db
        .prepare("SELECT 1 FROM pragma_table_info('organisation') WHERE name = 'sip_extension'")
        .get() !== undefined;
    // … and older than 0018 no mark of organisations outside the app.
    const hasExternal =
      db
        .prepare("SELECT 1 FROM pragma_table_info('organisation') WHERE name = 'external'")
        .get() !== undefined;
    const upsertOrg = db.prepare(
      `INSERT INTO organisation (code, name, short_name, kind, district_code, public_phone, email
         ${hasExtension ? ', sip_extension' : ''}${hasExternal ? ', external' : ''})
       VALUES (@code, @name, @shortName, @kind, @districtCode, @publicPhone, @email
         ${hasExtension ? ', @sipExtension' : ''}${hasExternal ? ', @external' : ''})
       ON CONFLICT(code) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
         kind = excluded.kind, district_code = excluded.district_code,
         public_phone = excluded.public_phone, email = excluded.email
         ${hasExtension ? ', sip_extension = excluded.sip_extension' : ''}
         ${hasExternal ? ', external = excluded.external' : ''}`,
    );
    for (const o of data.organisations) {
      const { external, ...org } = o;
      upsertOrg.run({
        ...org,
        districtCode: o.districtCode ?? null,
        publicPhone: o.publicPhone ?? null,
        email: o.email ?? null,
        ...(hasExtension ? { sipExtension: o.sipExtension ?? null } : {}),
        ...(hasExternal ? { external: external === true ? 1 : 0 } : {}),
      });
    }

    // Parents first, so the self-reference holds at every insert.
    const upsertTopic = db.prepare(
      `INSERT INTO topic (code, name, parent_code, keywords) VALUES (@code, @name, @parentCode, @keywords)
       ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code,
         keywords = excluded.keywords`,
    );
    const ordered = [...data.topics].sort(
      (a, b) => Number(a.parentCode !== null) - Number(b.parentCode !== null),
    );
    for (const topic of ordered) {
      upsertTopic.run({ ...topic, keywords: JSON.stringify(topic.keywords) });
    }

    for (const [table, rows] of [
      ['sok_type', data.sokTypes],
      ['channel', data.channels],
    ] as const) {
      const upsert = db.prepare(
        `INSERT INTO ${table} (code, name) VALUES (@code, @name)
         ON CONFLICT(code) DO UPDATE SET name = excluded.name`,
      );
      for (const row of rows) upsert.run(row);
    }

    removeUnlisted(db, 'organisation', data.organisations, null);
    removeUnlisted(db, 'topic', data.topics, 'topic_code');
    removeUnlisted(db, 'sok_type', data.sokTypes, 'type_code');
    removeUnlisted(db, 'channel', data.channels, 'channel_code');
    removeUnlisted(db, 'district', data.districts, 'district_code');

    db.prepare(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    ).run(META_KEY, hash);
  })();
  return { changed: true };
}

function removeUnlisted(
  db: Db,
  table: string,
  keep: readonly { code: string }[],
  sokColumn: string | null,
): void {
  const codes = JSON.stringify(keep.map((r) => r.code));
  const stillUsed = sokColumn === null ? '' : `AND code NOT IN (SELECT ${sokColumn} FROM sok)`;
  const childGuard =
    table === 'topic'
      ? 'AND code NOT IN (SELECT parent_code FROM topic WHERE parent_code IS NOT NULL)'
      : '';
  db.prepare(
    `DELETE FROM ${table} WHERE code NOT IN (SELECT value FROM json_each(?)) ${stillUsed} ${childGuard}`,
  ).run(codes);
}

interface TopicRow {
  code: string;
  name: string;
  parent_code: string | null;
  keywords: string;
}
interface OrgRow {
  code: string;
  name: string;
  short_name: string;
  kind: ReferenceData['organisations'][number]['kind'];
  district_code: string | null;
  public_phone: string | null;
  email: string | null;
  sip_extension?: string | null;
  external?: number;
}

const byName = (a: { name: string }, b: { name: string }) => compareTurkish(a.name, b.name);

export function readReferenceData(db: Db): ReferenceSnapshot {
  // Lists people read are sorted in Turkish (SQLite's ORDER BY puts İnegöl after Yıldırım).
  const districts = (
    db.prepare('SELECT code, name FROM district').all() as { code: string; name: string }[]
  ).sort(byName);
  const organisations = (db.prepare('SELECT * FROM organisation').all() as OrgRow[])
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : byName(a, b)))
    .map((o) => ({
      code: o.code,
      name: o.name,
      shortName: o.short_name,
      kind: o.kind,
      ...(o.district_code === null ? {} : { districtCode: o.district_code }),
      ...(o.public_phone === null ? {} : { publicPhone: o.public_phone }),
      ...(o.email === null ? {} : { email: o.email }),
      ...(o.sip_extension ? { sipExtension: o.sip_extension } : {}),
      ...(o.external === 1 ? { external: true } : {}),
    }));
  const topics = (db.prepare('SELECT * FROM topic').all() as TopicRow[]).sort(byName).map((t) => ({
    code: t.code,
    name: t.name,
    parentCode: t.parent_code,
    keywords: JSON.parse(t.keywords) as string[],
  }));
  const sokTypes = db.prepare('SELECT code, name FROM sok_type ORDER BY rowid').all() as {
    code: string;
    name: string;
  }[];
  const channels = db.prepare('SELECT code, name FROM channel ORDER BY rowid').all() as {
    code: string;
    name: string;
  }[];
  return { districts, organisations, topics, sokTypes, channels };
}
