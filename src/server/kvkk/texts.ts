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

/** When each version of each text was published, for stamping new ŞÖKs. */
export interface TextVersion {
  kind: string;
  version: number;
  at: string;
}

/**
 * The versions, cached per process and database: the texts change a few times a year and every
 * pushed ŞÖK needs them. Publishing here drops the cache; a version published by another API
 * instance is seen by the stamp — the table is append-only, so its row count and latest
 * publication name its content — checked with one aggregate query per push transaction instead
 * of reading the table.
 */
export class TextVersionCache {
  #entry: { stamp: string; versions: Promise<TextVersion[]> } | null = null;

  async versions(trx: Kysely<Database>): Promise<TextVersion[]> {
    const row = await trx
      .selectFrom('kvkk_text')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('published_at').as('last')])
      .executeTakeFirst();
    const stamp = `${Number(row?.n ?? 0)} ${String(row?.last ?? '')}`;
    if (this.#entry?.stamp !== stamp) {
      const entry = { stamp, versions: readTextVersions(trx) };
      this.#entry = entry;
      // A failed read is not kept.
      entry.versions.catch(() => {
        if (this.#entry === entry) this.#entry = null;
      });
    }
    return this.#entry.versions;
  }

  forget(): void {
    this.#entry = null;
  }
}

/** Every version of both texts, newest first. */
export function readTextVersions(trx: Kysely<Database>): Promise<TextVersion[]> {
  return trx
    .selectFrom('kvkk_text')
    .select(['kind', 'version', 'published_at as at'])
    .orderBy('version', 'desc')
    .execute();
}

const caches = new WeakMap<object, TextVersionCache>();

/** This process's cache of the text versions of database `db`. */
export function textCacheOf(db: object): TextVersionCache {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new TextVersionCache();
    caches.set(db, cache);
  }
  return cache;
}

/** Publishes a new wording as the next version; earlier versions stay as they were read. */
export async function publishText(
  db: ServerDb,
  kind: KvkkTextKind,
  text: string,
  userId: string,
  now: Date,
): Promise<KvkkText> {
  const published = await withWriteLock(db, async (trx) => {
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
  textCacheOf(db).forget();
  return published;
}
