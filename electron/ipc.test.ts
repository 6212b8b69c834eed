import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, methodNames } from '../src/domain/bridge/contract';
import { EventHub } from '../src/client/events';
import {
  FORBIDDEN_MESSAGE,
  forwardEvents,
  isTrustedSender,
  registerBridge,
  type BridgeDispatch,
  type InvokeEvent,
  type IpcMainHandlers,
  type SenderFrame,
} from './ipc';

type Handler = (event: InvokeEvent, input: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainHandlers = {
    handle: vi.fn((channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => {
      handlers.delete(channel);
    }),
  };
  const call = (channel: string, frame: SenderFrame | null, input: unknown) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: frame }, input);
  };
  return { ipcMain, handlers, call };
}

const topFrame = (url: string): SenderFrame => ({ url, parent: null });
const subFrame = (url: string): SenderFrame => ({ url, parent: topFrame('app://alo153/') });
const ourPage = topFrame('app://alo153/index.html');

const okDispatch = () => vi.fn<BridgeDispatch>(async (method) => ({ ok: true, value: method }));

describe('isTrustedSender', () => {
  it('trusts the top-level frame of our app:// page', () => {
    expect(isTrustedSender(ourPage)).toBe(true);
    expect(isTrustedSender(topFrame('app://alo153/sok/123?tab=2#x'))).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'file:///home/agent/evil.html',
    'http://alo153/',
    'app://evil.example/index.html',
    'app://alo153.evil.example/',
    'about:blank',
    'data:text/html,hi',
    '',
  ])('refuses a frame at %s', (url) => {
    expect(isTrustedSender(topFrame(url))).toBe(false);
  });

  it('refuses a sub-frame even when it is on our origin', () => {
    expect(isTrustedSender(subFrame('app://alo153/index.html'))).toBe(false);
  });

  it('refuses a frame that has gone (null)', () => {
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('registerBridge', () => {
  it('registers one handler per contract method on its bridge:<name> channel', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    registerBridge(ipcMain, okDispatch());
    expect([...handlers.keys()].sort()).toEqual(methodNames.map((m) => `bridge:${m}`).sort());
  });

  it('dispatches a call from our page with the method name and input', async () => {
    const { ipcMain, call } = fakeIpcMain();
    const dispatch = okDispatch();
    registerBridge(ipcMain, dispatch);
    const input = { query: 'Osmangazi' };
    await expect(call('bridge:sok.search', ourPage, input)).resolves.toEqual({
      ok: true,
      value: 'sok.search',
    });
    expect(dispatch).toHaveBeenCalledWith('sok.search', input);
  });

  it.each([
    ['another origin', topFrame('https://evil.example/')],
    ['a file:// page', topFrame('file:///tmp/evil.html')],
    ['a sub-frame', subFrame('app://alo153/index.html')],
    ['a destroyed frame', null],
  ])('refuses %s with a Turkish forbidden error, without dispatching', async (_what, frame) => {
    const { ipcMain, call } = fakeIpcMain();
    const dispatch = okDispatch();
    registerBridge(ipcMain, dispatch);
    for (const method of methodNames) {
      await expect(call(`bridge:${method}`, frame, {})).resolves.toEqual({
        ok: false,
        error: { code: 'forbidden', message: FORBIDDEN_MESSAGE },
      });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('uses the sender check it is given', async () => {
    const { ipcMain, call } = fakeIpcMain();
    const dispatch = okDispatch();
    const isTrusted = vi.fn(() => false);
    registerBridge(ipcMain, dispatch, isTrusted);
    await call('bridge:app.info', ourPage, {});
    expect(isTrusted).toHaveBeenCalledWith(ourPage);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('returns a function that removes every handler it registered', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unregister = registerBridge(ipcMain, okDispatch());
    unregister();
    expect(handlers.size).toBe(0);
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(methodNames.length);
    // and can register again afterwards, e.g. after a reload of the core
    expect(() => registerBridge(ipcMain, okDispatch())).not.toThrow();
  });
});

describe('forwardEvents', () => {
  function fakeWebContents(url = 'app://alo153/index.html') {
    return { isDestroyed: vi.fn(() => false), mainFrame: topFrame(url), send: vi.fn() };
  }

  it('sends each client-core event to the window on the event channel', () => {
    const hub = new EventHub();
    const contents = fakeWebContents();
    forwardEvents(hub, contents);
    hub.emit('sok.changed', { id: 'abc' });
    expect(contents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, {
      event: 'sok.changed',
      payload: { id: 'abc' },
    });
  });

  it('stops after unsubscribing', () => {
    const hub = new EventHub();
    const contents = fakeWebContents();
    const stop = forwardEvents(hub, contents);
    stop();
    hub.emit('sok.changed', { id: 'abc' });
    expect(contents.send).not.toHaveBeenCalled();
  });

  it('does not send to a destroyed window', () => {
    const hub = new EventHub();
    const contents = fakeWebContents();
    contents.isDestroyed.mockReturnValue(true);
    forwardEvents(hub, contents);
    hub.emit('sok.changed', { id: 'abc' });
    expect(contents.send).not.toHaveBeenCalled();
  });

  it('does not send to a window showing a page that is not ours', () => {
    const hub = new EventHub();
    const contents = fakeWebContents('https://evil.example/');
    forwardEvents(hub, contents);
    hub.emit('sok.changed', { id: 'abc' });
    expect(contents.send).not.toHaveBeenCalled();
  });
});
