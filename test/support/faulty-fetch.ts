/**
 * A fetch that misbehaves on purpose, to prove the sync protocol survives a bad network:
 * requests lost before the server, answers lost after the server committed, requests delivered
 * twice, and requests that "failed" for the client but reach the server later (reordering).
 */
export type Fault = 'none' | 'drop-request' | 'drop-response' | 'duplicate' | 'delay';

export class FaultyNetwork {
  /** Faults applied to the next requests, one each, in order. */
  private readonly planned: Fault[] = [];
  private readonly delayed: (() => Promise<unknown>)[] = [];
  /** Set while the "network" is down entirely (every request fails before the server). */
  down = false;
  readonly stats = { sent: 0, dropped: 0, lostResponses: 0, duplicated: 0, delayed: 0 };

  constructor(private readonly real: typeof fetch = fetch) {}

  plan(...faults: Fault[]): void {
    this.planned.push(...faults);
  }

  clearPlan(): void {
    this.planned.length = 0;
  }

  /** Delivers every delayed request now, in reverse order (the most reordered). */
  async deliverDelayed(): Promise<void> {
    const pending = this.delayed.splice(0).reverse();
    for (const send of pending) await send().catch(() => undefined);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    if (this.down) {
      this.stats.dropped++;
      throw new TypeError('fetch failed: network down');
    }
    const fault = this.planned.shift() ?? 'none';
    // A re-sent request must not carry the original's (expired) timeout.
    const replay = () => this.real(input, { ...init, signal: null });
    this.stats.sent++;
    switch (fault) {
      case 'drop-request':
        this.stats.dropped++;
        throw new TypeError('fetch failed: request lost');
      case 'drop-response': {
        const res = await this.real(input, init);
        await res.arrayBuffer();
        this.stats.lostResponses++;
        throw new TypeError('fetch failed: response lost');
      }
      case 'duplicate': {
        this.stats.duplicated++;
        const [first] = await Promise.all([
          this.real(input, init),
          replay().then((r) => r.arrayBuffer()),
        ]);
        return first;
      }
      case 'delay':
        this.stats.delayed++;
        this.delayed.push(replay);
        throw new TypeError('fetch failed: timed out');
      default:
        return this.real(input, init);
    }
  };
}
