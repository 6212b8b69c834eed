// Small fakes of the Electron objects the shell depends on, shared by the electron/ tests.
import { vi } from 'vitest';
import type { IpcRendererEvent } from 'electron';
import type { PreloadIpc } from '../../electron/preload-api';

type Listener = (event: IpcRendererEvent, ...args: unknown[]) => void;

export function fakeIpcRenderer(reply: (channel: string, input: unknown) => unknown = () => ({})) {
  const listeners = new Map<string, Set<Listener>>();
  const invoke = vi.fn(async (channel: string, input: unknown) => reply(channel, input));
  const on = vi.fn((channel: string, listener: Listener) => {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
  });
  const removeListener = vi.fn((channel: string, listener: Listener) => {
    listeners.get(channel)?.delete(listener);
  });
  const ipc = { invoke, on, removeListener } as unknown as PreloadIpc;
  /** Simulates main sending `message` on `channel`; the sender field is what a leak would expose. */
  const emit = (channel: string, message: unknown) => {
    const event = { sender: ipc, senderId: 0 } as unknown as IpcRendererEvent;
    for (const listener of listeners.get(channel) ?? []) listener(event, message);
  };
  const listenerCount = (channel: string) => listeners.get(channel)?.size ?? 0;
  return { ipc, invoke, on, removeListener, emit, listenerCount };
}
