import { beforeAll, describe, expect, it, vi } from 'vitest';
import { methodNames, type BridgeApi } from '../src/domain/bridge/contract';

const electron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async () => ({ ok: true, value: null })),
  on: vi.fn(),
  removeListener: vi.fn(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: {
    invoke: electron.invoke,
    on: electron.on,
    removeListener: electron.removeListener,
    send: vi.fn(),
    sendSync: vi.fn(),
  },
}));

describe('the preload script', () => {
  let exposed: BridgeApi;

  beforeAll(async () => {
    await import('./preload');
    exposed = electron.exposeInMainWorld.mock.calls[0]?.[1] as BridgeApi;
  });

  it('exposes one object, as window.alo153, exactly once', () => {
    expect(electron.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(electron.exposeInMainWorld).toHaveBeenCalledWith('alo153', expect.any(Object));
  });

  it('exposes only the bridge methods and on, never ipcRenderer', () => {
    expect(Object.keys(exposed).sort()).toEqual(['methods', 'on']);
    expect(typeof exposed.on).toBe('function');
    expect(Object.keys(exposed.methods).sort()).toEqual([...methodNames].sort());
    for (const method of Object.values(exposed.methods)) expect(typeof method).toBe('function');
  });

  it('sends each method call to its own bridge:<name> channel', async () => {
    for (const name of methodNames) {
      await (exposed.methods[name] as (input: unknown) => Promise<unknown>)({});
      expect(electron.invoke).toHaveBeenLastCalledWith(`bridge:${name}`, {});
    }
  });
});
