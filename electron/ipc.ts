import {
  IPC_EVENT_CHANNEL,
  ipcChannel,
  methodNames,
  type EventName,
} from '../src/domain/bridge/contract';
import type { Result } from '../src/domain/errors';
import type { BridgeEventMessage } from './event-message';
import { isAppUrl } from './origin';

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: object | null;
}

/** The parts of Electron's IpcMainInvokeEvent we read. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null;
}

/** The parts of Electron's ipcMain we use; the real `ipcMain` satisfies it. */
export interface IpcMainHandlers {
  handle(channel: string, listener: (event: InvokeEvent, input: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export type BridgeDispatch = (method: unknown, input: unknown) => Promise<Result<unknown>>;

export const FORBIDDEN_MESSAGE = 'Bu istek güvenilir bir kaynaktan gelmediği için reddedildi.';

/**
 * Trusted = the top-level frame of a page on our own origin. Sub-frames are refused even when
 * same-origin: the UI has none (CSP `frame-src 'none'`, `frame-ancestors 'none'`), so a
 * sub-frame asking for data can only be something we did not build. A null frame (navigated
 * away or destroyed mid-call) is refused too.
 */
export function isTrustedSender(frame: SenderFrame | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/**
 * Registers one `ipcMain.handle` per contract method. The sender is checked before anything
 * else; the input is validated by `dispatch` (the shared dispatcher), not here.
 * Returns a function that removes every handler again.
 */
export function registerBridge(
  ipcMain: IpcMainHandlers,
  dispatch: BridgeDispatch,
  isTrusted: (frame: SenderFrame | null) => boolean = isTrustedSender,
): () => void {
  const channels = methodNames.map((method) => {
    const channel = ipcChannel(method);
    ipcMain.handle(channel, async (event, input): Promise<Result<unknown>> => {
      if (!isTrusted(event.senderFrame)) {
        return { ok: false, error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } };
      }
      return dispatch(method, input);
    });
    return channel;
  });
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** The parts of a window's WebContents that event forwarding uses. */
export interface BridgeEventSink {
  isDestroyed(): boolean;
  readonly mainFrame: SenderFrame;
  send(channel: string, message: BridgeEventMessage): void;
}

export interface BridgeEventSource {
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

/**
 * Pushes client-core events to one window. Skips a destroyed window, and a window whose page is
 * not ours (navigation is blocked, but data should not follow a page we failed to stop).
 * Returns the unsubscribe function; call it when the window closes.
 */
export function forwardEvents(events: BridgeEventSource, target: BridgeEventSink): () => void {
  return events.subscribe((event, payload) => {
    if (target.isDestroyed() || !isTrustedSender(target.mainFrame)) return;
    target.send(IPC_EVENT_CHANNEL, { event, payload });
  });
}
