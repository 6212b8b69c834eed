/**
 * The seed builder's messages (docs/sync.md, "A first sync from a seed"): the API starts the
 * desk's store code as a worker thread (src/client/sync/seed-builder.ts, bundled as
 * dist/seed-builder.mjs) and talks to it with these. Declared here, once, for both sides.
 */

/** What the API starts a builder with. */
export interface SeedBuilderData {
  /** The file to write. */
  file: string;
  /** A seed to start from (copied to `file`), or null for a new one. */
  base: string | null;
  /** KVKK: closed ŞÖKs last changed before `cutoff` (ISO) are stored dropped at `at`. */
  dropPersonal: { cutoff: string; at: string };
}

export type SeedBuilderRequest =
  { id: number; type: 'page'; body: Uint8Array } | { id: number; type: 'finish' };

export type SeedBuilderReply =
  | { id: number; type: 'stored'; cursor: number; more: boolean; size: number }
  | { id: number; type: 'finished'; format: string; cursor: number; soks: number }
  | { id: number; type: 'error'; message: string };

/** The scope a seed's pages carry; a desk stores its user's own when it copies the seed. */
export const SEED_PAGE_SCOPE = 'seed';
