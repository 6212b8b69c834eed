import type { Change, PullResponse } from '../../domain/sync';
import { JsonBody } from '../http/contract-route';

/**
 * A pull page serialised once for every reader who shares it (PageCache): the answer's JSON
 * up to the per-reader `scope`, as UTF-8 bytes. `pullBody` completes it for one reader.
 */
export interface SerialisedPage {
  /** The change-sequence head in the snapshot the page was read in (see PageCache). */
  head: number;
  /** How many changes it holds. */
  count: number;
  /** `{"changes":[…],"cursor":…,"more":…,"scope":` */
  start: Buffer;
}

const SCOPE_LAST = '""}';

/** Serialises a pull page (its personal data already masked for its readers). */
export function serialisePullPage(page: {
  head: number;
  changes: Change[];
  cursor: number;
  more: boolean;
}): SerialisedPage {
  // The keys in the order PullResponse has always been sent in; `scope` last, cut off here.
  const whole: PullResponse = {
    changes: page.changes,
    cursor: page.cursor,
    more: page.more,
    scope: '',
  };
  const text = JSON.stringify(whole);
  const start = Buffer.from(text.slice(0, text.length - SCOPE_LAST.length));
  return { head: page.head, count: page.changes.length, start };
}

/** The pull answer for one reader: exactly `JSON.stringify` of the PullResponse. */
export function pullBody(page: SerialisedPage, scope: string): JsonBody<PullResponse> {
  return new JsonBody(Buffer.concat([page.start, Buffer.from(`${JSON.stringify(scope)}}`)]));
}
