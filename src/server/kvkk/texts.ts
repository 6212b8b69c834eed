import type { Kysely } from 'kysely';
import type { KvkkTextKind } from '../../domain/kvkk';
import type { ServerDb } from '../db/open';
import type { Database } from '../db/schema';
import { withWriteLock } from '../db/write-lock';

export interface KvkkText {
  kind: KvkkTextKind;
  version: number;
  text: string;
  publishedAt: string;
}

/** The version of each text in force at `at` (the latest published at or before it). */
export async function textsInForce(
  db: Kysely<Database>,
  at: string,
): Promise<Record<KvkkTextKind, KvkkText | null>> {
  const out: Record<KvkkTextKind, KvkkText | null> = { notice: null, 'sms-consent': null };
  for (const kind of ['notice', 'sms-consent'] as const) {
    const row = await db
      .selectFrom('kvkk_text')
      .selectAll()
      .where('kind', '=', kind)
      .where('published_at', '<=', at)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    out[kind] =
      row === undefined
        ? null
        : { kind, version: row.version, text: row.text, publishedAt: row.published_at };
  }
  return out;
}

export async function textVersions(db: Kysely<Database>, kind: KvkkTextKind): Promise<KvkkText[]> {
  const rows = await db
    .selectFrom('kvkk_text')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({ kind, version: r.version, text: r.text, publishedAt: r.published_at }));
}

/** Publishes a new wording as the next version; earlier versions stay as they were read. */
export async function publishText(
  db: ServerDb,
  kind: KvkkTextKind,
  text: string,
  userId: string,
  now: Date,
): Promise<KvkkText> {
  return withWriteLock(db, async (trx) => {
    const last = await trx
      .selectFrom('kvkk_text')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('kind', '=', kind)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const publishedAt = now.toISOString();
    await trx
      .insertInto('kvkk_text')
      .values({ kind, version, text, published_at: publishedAt, published_by: userId })
      .execute();
    return { kind, version, text, publishedAt };
  });
}
