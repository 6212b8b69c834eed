import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, methodNames } from '../src/domain/bridge/contract';
import { createPreloadApi } from './preload-api';
import { fakeIpcRenderer } from '../test/support/electron-fakes';

const SOK_ID = '0b6f3f4e-8a51-4d1e-9d7a-3c1f5b2e7a90';

describe('createPreloadApi', () => {
  it('offers exactly the contract methods', () => {
    const api = createPreloadApi(fakeIpcRenderer().ipc);
    expect(Object.keys(api.methods).sort()).toEqual([...methodNames].sort());
  });

  it('invokes the bridge:<method> channel with the input, for every method', async () => {
    const fake = fakeIpcRenderer((channel) => ({ ok: true, value: channel }));
    const api = createPreloadApi(fake.ipc);
    for (const name of methodNames) {
      const call = api.methods[name] as (input: unknown) => Promise<unknown>;
      await expect(call({ probe: name })).resolves.toEqual({ ok: true, value: `bridge:${name}` });
      expect(fake.invoke).toHaveBeenLastCalledWith(`bridge:${name}`, { probe: name });
    }
    expect(fake.invoke).toHaveBeenCalledTimes(methodNames.length);
  });

  it('passes the result from main through unchanged, errors included', async () => {
    const error = { code: 'validation', message: 'Girilen bilgiler geçersiz.' };
    const fake = fakeIpcRenderer(() => ({ ok: false, error }));
    const api = createPreloadApi(fake.ipc);
    await expect(api.methods['sok.get']({ id: SOK_ID })).resolves.toEqual({ ok: false, error });
  });

  it('turns a rejected invoke into an unavailable result instead of throwing', async () => {
    const fake = fakeIpcRenderer(() => {
      throw new Error("No handler registered for 'bridge:app.info'");
    });
    const api = createPreloadApi(fake.ipc);
    const result = await api.methods['app.info']({});
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(result.ok === false && result.error.message).toMatch(/yeniden başlatın/);
  });

  it('delivers events to listeners with only the payload, never the IPC event', () => {
    const fake = fakeIpcRenderer();
    const api = createPreloadApi(fake.ipc);
    const listener = vi.fn();
    api.on('sok.changed', listener);
    fake.emit(IPC_EVENT_CHANNEL, { event: 'sok.changed', payload: { id: SOK_ID } });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ id: SOK_ID });
  });

  it('stops delivering to a listener after it unsubscribes', () => {
    const fake = fakeIpcRenderer();
    const api = createPreloadApi(fake.ipc);
    const kept = vi.fn();
    const dropped = vi.fn();
    api.on('sok.changed', kept);
    const unsubscribe = api.on('sok.changed', dropped);
    unsubscribe();
    fake.emit(IPC_EVENT_CHANNEL, { event: 'sok.changed', payload: { id: SOK_ID } });
    expect(kept).toHaveBeenCalledTimes(1);
    expect(dropped).not.toHaveBeenCalled();
  });

  it('listens on the one event channel only once, however many listeners', () => {
    const fake = fakeIpcRenderer();
    const api = createPreloadApi(fake.ipc);
    api.on('sok.changed', () => {});
    api.on('sok.changed', () => {});
    expect(fake.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    expect(fake.on).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, expect.any(Function));
  });

  it('ignores malformed messages, unknown events and payloads that fail the schema', () => {
    const fake = fakeIpcRenderer();
    const api = createPreloadApi(fake.ipc);
    const listener = vi.fn();
    api.on('sok.changed', listener);
    fake.emit(IPC_EVENT_CHANNEL, null);
    fake.emit(IPC_EVENT_CHANNEL, 'sok.changed');
    fake.emit(IPC_EVENT_CHANNEL, { event: 'sok.changed' });
    fake.emit(IPC_EVENT_CHANNEL, { event: 'no.such.event', payload: { id: SOK_ID } });
    fake.emit(IPC_EVENT_CHANNEL, { event: 'sok.changed', payload: { id: 42 } });
    expect(listener).not.toHaveBeenCalled();
  });

  it('ignores messages on other channels', () => {
    const fake = fakeIpcRenderer();
    const api = createPreloadApi(fake.ipc);
    const listener = vi.fn();
    api.on('sok.changed', listener);
    fake.emit('bridge:sok.get', { event: 'sok.changed', payload: { id: SOK_ID } });
    expect(listener).not.toHaveBeenCalled();
  });
});
