import type { BridgeTransport, EventName, MethodName } from '../../src/domain/bridge/contract';
import {
  BRIDGE_PATH,
  BRIDGE_PROTOCOL,
  KEY_PROTOCOL_PREFIX,
} from '../../src/domain/bridge/ws-protocol';
import type { Result } from '../../src/domain/errors';
import { ui } from './i18n';

const SECRET_STORAGE_KEY = 'alo153.hostKey';

/**
 * The browser host's side of the bridge. The per-launch key arrives in the URL fragment; it is
 * moved to sessionStorage (so a reload keeps working) and removed from the address bar.
 */
export function takeHostKey(): string | null {
  const match = /(?:^#|&)k=([\w-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(SECRET_STORAGE_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(SECRET_STORAGE_KEY);
}

type Pending = (result: Result<unknown>) => void;

export function createWebSocketTransport(key: string): BridgeTransport {
  const url = `ws://${window.location.host}${BRIDGE_PATH}`;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;

  const fail = (message: string): Result<unknown> => ({
    ok: false,
    error: { code: 'unavailable', message },
  });

  function connect(): Promise<WebSocket> {
    ready ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, [BRIDGE_PROTOCOL, KEY_PROTOCOL_PREFIX + key]);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('bridge connection failed'));
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const settle of pending.values()) {
          settle(fail(ui('app.coreLost')));
        }
        pending.clear();
        // Reconnect so events keep flowing after the host restarts with the same key.
        if (listeners.size > 0) setTimeout(() => void connect().catch(() => undefined), 1000);
      };
      ws.onmessage = (message: MessageEvent<string>) => {
        const data = JSON.parse(message.data) as
          { id: number; result: Result<unknown> } | { event: EventName; payload: unknown };
        if ('id' in data) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        } else {
          for (const l of listeners) l(data.event, data.payload);
        }
      };
    });
    return ready;
  }

  return {
    async invoke(method: MethodName, input: unknown) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch {
        return fail(ui('app.coreRestart'));
      }
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, input }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}
