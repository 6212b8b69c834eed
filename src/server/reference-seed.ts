import fs from 'node:fs';
import type { Kysely } from 'kysely';
import { ReferenceDataSchema, type ReferenceData } from '../domain/reference';
import type { Database } from './db/schema';

/** Reads and validates the shipped reference data (resources/reference/bursa.json). */
export function readReferenceFile(file: string): ReferenceData {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read reference data ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const result = ReferenceDataSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 10)
      .map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`reference data ${file} is invalid:\n${problems.join('\n')}`);
  }
  return result.data;
}

/**
 * Inserts the districts and organisations the database lacks, so the server knows every
 * organisation code a user or a ŞÖK can name, and refreshes the shipped descriptive fields
 * (names, kind, public phone) that no administrator can edit. An organisation's mailbox is the
 * administrators' (PUT /admin/organisations/:code): the shipped address is written only when
 * the organisation is first inserted, so a restart or a deployment never overwrites what an
 * administrator set or cleared. Idempotent; rows missing from the file are kept (users and ŞÖKs
 * refer to them).
 */
export async function seedReferenceData(db: Kysely<Database>, data: ReferenceData): Promise<void> {
  // `external` came with migration 0020; the migration tests seed older schemas too.
  const hasExternal = await db
    .selectFrom('organisation')
    .select('external')
    .limit(1)
    .execute()
    .then(
      () => true,
      () => false,
    );
  await db.transaction().execute(async (trx) => {
    for (const d of data.districts) {
      await trx
        .insertInto('district')
        .values({ code: d.code, name: d.name })
        .onConflict((oc) => oc.column('code').doUpdateSet({ name: d.name }))
        .execute();
    }
    for (const o of data.organisations) {
      const shipped = {
        name: o.name,
        short_name: o.shortName,
        kind: o.kind,
        district_code: o.districtCode ?? null,
        public_phone: o.publicPhone ?? null,
        ...(hasExternal ? { external: o.external === true ? 1 : 0 } : {}),
      };
      await trx
        .insertInto('organisation')
        .values({ code: o.code, ...shipped, email: o.email ?? null })
        .onConflict((oc) => oc.column('code').doUpdateSet(shipped))
        .execute();
    }
  });
}
