import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';

/** A draft larger than this is not a form being typed. */
const MAX_DRAFT_BYTES = 64 * 1024;

/**
 * Autosaved form drafts, per user and form, in SQLite: a crash, a restart or a dropped call
 * loses nothing typed.
 */
export function draftHandlers({ db, sessions, now }: HandlerDeps) {
  const get = db.prepare('SELECT value, updated_at FROM draft WHERE key = ?');
  const save = db.prepare(
    `INSERT INTO draft (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const clear = db.prepare('DELETE FROM draft WHERE key = ?');
  const keyFor = (key: string) => `${sessions.load()?.user.id ?? 'anon'}:${key}`;

  return {
    'draft.get': ({ key }) => {
      const row = get.get(keyFor(key)) as { value: string; updated_at: string } | undefined;
      return row
        ? { values: JSON.parse(row.value) as Record<string, unknown>, updatedAt: row.updated_at }
        : null;
    },
    'draft.save': ({ key, values }) => {
      const json = JSON.stringify(values);
      if (json.length > MAX_DRAFT_BYTES) throw new AppError('validation', t('error.draftTooLarge'));
      save.run(keyFor(key), json, now().toISOString());
      return null;
    },
    'draft.clear': ({ key }) => {
      clear.run(keyFor(key));
      return null;
    },
  } satisfies Partial<Handlers>;
}
