import { z } from 'zod';
import { NumberBlockSchema, PullPageSchema, PushResponseSchema } from '../sync';
import { EmptyBodySchema } from './auth';
import { endpoint, FileSchema } from './endpoint';

/** The sync protocol (docs/sync.md); the live socket (GET /sync/live) is not a JSON route. */

// Sequence numbers and mutation ids are integer columns (PostgreSQL int4): beyond them is a 400.
const INT4_MAX = 2_147_483_647;

export const sync = {
  /**
   * Only what every answer needs is checked here (each mutation's id); kind and payload are
   * checked per mutation when it is applied, so one bad mutation is refused alone instead of
   * failing the whole batch with 400.
   */
  push: endpoint('POST', '/sync/push', {
    body: z.strictObject({
      mutations: z
        .array(
          z.strictObject({
            id: z.number().int().positive().max(INT4_MAX),
            kind: z.string().max(200),
            payload: z.unknown(),
          }),
        )
        .min(1)
        .max(500),
    }),
    response: PushResponseSchema,
  }),
  /** Each change of a page is checked on its own by the desk, so one bad change stays alone. */
  pull: endpoint('GET', '/sync/pull', {
    query: z.strictObject({
      cursor: z.coerce.number().int().min(0).max(INT4_MAX),
      limit: z.coerce.number().int().min(1).max(5000).default(1000),
    }),
    response: PullPageSchema,
  }),
  /**
   * A first-sync seed (docs/sync.md, "A first sync from a seed"): a SQLite file of the caller's
   * scope, for a desk whose store format is `format`, gzipped (`content-encoding`) when the
   * desk accepts it. Headers: `x-seed-size` and `x-seed-sha256` (base64url) of the file itself,
   * `x-seed-scope` (the caller's scope, as a pull answer's), `x-seed-cursor`. 404 `not-found` when there is none
   * (yet, or for that format): the desk pulls page by page.
   */
  seed: endpoint('GET', '/sync/seed', {
    query: z.strictObject({ format: z.string().min(1).max(64) }),
    download: true,
    response: FileSchema,
  }),
  leaseNumberBlock: endpoint('POST', '/sync/number-blocks', {
    body: EmptyBodySchema,
    response: NumberBlockSchema,
  }),
};
