import {
  createBridgeApi,
  type BridgeApi,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../src/domain/bridge/contract';
import type { AppErrorData, Result } from '../../src/domain/errors';
import { createWebSocketTransport, takeHostKey } from './ws-transport';
import { ui } from './i18n';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in the browser host, which builds it over WebSocket. */
    alo153?: BridgeApi;
  }
}

export class BridgeError extends Error {
  readonly data: AppErrorData;
  constructor(data: AppErrorData) {
    super(data.message);
    this.name = 'BridgeError';
    this.data = data;
  }
}

function resolveBridge(): BridgeApi | null {
  if (window.alo153) return window.alo153;
  const key = takeHostKey();
  return key === null ? null : createBridgeApi(createWebSocketTransport(key));
}

export const bridge = resolveBridge();

/** Calls a bridge method and unwraps its result; failures throw a BridgeError. */
export async function call<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  if (!bridge) {
    throw new BridgeError({ code: 'unavailable', message: ui('app.coreUnreachable') });
  }
  const fn = bridge.methods[method] as unknown as (
    i: MethodInput<M>,
  ) => Promise<Result<MethodOutput<M>>>;
  const result = await fn(input);
  if (!result.ok) throw new BridgeError(result.error);
  return result.value;
}
