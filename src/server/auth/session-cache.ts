import type { AuthContext } from './context';

interface Entry {
  context: AuthContext;
  /** When the access token expires (ISO); checked on every hit. */
  accessExpiresAt: string;
  /** Clock time (ms) after which the entry is read from the database again. */
  freshUntil: number;
}

/**
 * Authenticated sessions by access-token hash, so a desk's steady stream of pushes and pulls is
 * not one session query each. An entry lives `ttlMs` at most; every logout, refresh, revocation
 * or change of a user drops the whole cache on every instance at once (ChangeNotifier's auth
 * channel), so the TTL only bounds what a lost notification could leave behind.
 *
 * A lookup that began before a drop must not put its (possibly stale) answer back afterwards:
 * `generation` tells.
 */
export class SessionCache {
  readonly #entries = new Map<string, Entry>();
  #generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 20_000,
  ) {}

  get generation(): number {
    return this.#generation;
  }

  /** The cached context, if still fresh and the access token not expired at `now`. */
  get(accessHash: string, now: Date): AuthContext | undefined {
    const entry = this.#entries.get(accessHash);
    if (entry === undefined) return undefined;
    if (entry.freshUntil <= now.getTime() || entry.accessExpiresAt <= now.toISOString()) {
      this.#entries.delete(accessHash);
      return undefined;
    }
    return entry.context;
  }

  set(
    accessHash: string,
    context: AuthContext,
    accessExpiresAt: string,
    now: Date,
    generation: number,
  ): void {
    if (this.ttlMs <= 0 || generation !== this.#generation) return;
    if (this.#entries.size >= this.maxEntries) {
      // Oldest first (Map keeps insertion order).
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(accessHash, {
      context,
      accessExpiresAt,
      freshUntil: now.getTime() + this.ttlMs,
    });
  }

  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
