import WebSocket from 'ws';
import { PokeSchema } from '../../domain/sync';
import type { ApiClient } from '../api/http';

export interface LiveSocketDeps {
  api: ApiClient;
  /** Opens the live socket; injected so tests can drop or delay pokes. */
  openLive?: ((url: string, token: string) => WebSocket) | undefined;
  /** False in tests that drive every sync by hand: no socket then. */
  auto: boolean;
  stopped: () => boolean;
  /** A poke arrived: something this desk may see changed. */
  onPoke: () => void;
  /** The socket closed while the engine runs. */
  onClose: () => void;
}

/**
 * The live socket (`GET /sync/live`): a poke asks for a sync. Opened after a successful sync;
 * when it closes, the next successful sync opens it again.
 */
export class LiveSocket {
  private live: WebSocket | null = null;

  constructor(private readonly deps: LiveSocketDeps) {}

  /** Opens the socket unless it is open (or opening). */
  ensure(): void {
    if (this.live || this.deps.stopped() || !this.deps.auto) return;
    void this.deps.api.accessToken().then((token) => {
      if (!token || this.live || this.deps.stopped()) return;
      const url = `${this.deps.api.baseUrl.replace(/^http/, 'ws')}/sync/live`;
      const ws = this.deps.openLive
        ? this.deps.openLive(url, token)
        : new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
      this.live = ws;
      ws.on('message', (data) => {
        const poke = PokeSchema.safeParse(safeJson(data.toString()));
        if (poke.success) this.deps.onPoke();
      });
      ws.on('error', () => undefined);
      ws.on('close', () => {
        if (this.live === ws) this.live = null;
        // Reconnection follows the next successful sync (poll or backoff).
        if (!this.deps.stopped()) this.deps.onClose();
      });
    });
  }

  stop(): void {
    this.live?.terminate();
    this.live = null;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
