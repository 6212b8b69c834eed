import type { IpcRenderer, IpcRendererEvent } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  createBridgeApi,
  ipcChannel,
  type BridgeApi,
} from '../src/domain/bridge/contract';
import type { Result } from '../src/domain/errors';
import { isBridgeEventMessage } from './event-message';

export type PreloadIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

const UNAVAILABLE_MESSAGE = 'Uygulama çekirdeğine ulaşılamadı. Lütfen uygulamayı yeniden başlatın.';

/**
 * The renderer's `window.alo153` in Electron. The only place the renderer side touches
 * ipcRenderer: one channel per contract method, one channel for events. Neither ipcRenderer nor
 * the IPC event object is ever handed to page code.
 */
export function createPreloadApi(ipcRenderer: PreloadIpc): BridgeApi {
  return createBridgeApi({
    async invoke(method, input): Promise<Result<unknown>> {
      try {
        return (await ipcRenderer.invoke(ipcChannel(method), input)) as Result<unknown>;
      } catch {
        // invoke rejects only when main has no handler or crashed mid-call; the UI still gets data.
        return { ok: false, error: { code: 'unavailable', message: UNAVAILABLE_MESSAGE } };
      }
    },
    subscribe(listener) {
      const onMessage = (_event: IpcRendererEvent, message: unknown): void => {
        if (isBridgeEventMessage(message)) listener(message.event, message.payload);
      };
      ipcRenderer.on(IPC_EVENT_CHANNEL, onMessage);
      return () => {
        ipcRenderer.removeListener(IPC_EVENT_CHANNEL, onMessage);
      };
    },
  });
}
