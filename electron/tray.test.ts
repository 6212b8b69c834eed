import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { IDLE_SHELL_STATE, type ShellState, type TrayIconState } from '../src/domain/shell';
import { createTrayController, type TrayActions, type TrayLike } from './tray';

/** A fake of Electron's Tray, typed against electron's own Tray (TrayLike picks from it). */
function fakeTray() {
  let click: () => void = () => undefined;
  const tray = {
    setImage: vi.fn<TrayLike['setImage']>(),
    setToolTip: vi.fn<TrayLike['setToolTip']>(),
    destroy: vi.fn<TrayLike['destroy']>(),
    on: (_event: 'click', listener: () => void): void => {
      click = listener;
    },
  } satisfies TrayLike;
  return { tray, click: () => click() };
}

function setup() {
  const { tray, click } = fakeTray();
  let menu: MenuItemConstructorOptions[] = [];
  const icons: { state: TrayIconState; due: number }[] = [];
  const actions = {
    setAgentState: vi.fn<TrayActions['setAgentState']>(),
    showWindow: vi.fn<TrayActions['showWindow']>(),
    openDiagnostics: vi.fn<TrayActions['openDiagnostics']>(),
    quit: vi.fn<TrayActions['quit']>(),
  };
  const setBadge = vi.fn<(count: number) => void>();
  const controller = createTrayController({
    tray,
    setMenu: (template) => (menu = template),
    icon: (state, due) => {
      icons.push({ state, due });
      return { state } as unknown as NativeImage;
    },
    setBadge,
    actions,
  });
  const item = (label: string) => {
    const found = menu.find((m) => m.label === label);
    if (!found) throw new Error(`no menu item ${label}: ${menu.map((m) => m.label).join(', ')}`);
    return found;
  };
  const clickItem = (label: string) =>
    (item(label).click as (() => void) | undefined)?.call(undefined);
  return { tray, click, controller, actions, icons, item, clickItem, setBadge, menu: () => menu };
}

const ready: ShellState = { ...IDLE_SHELL_STATE, agentState: 'available', registered: true };

describe('the tray', () => {
  it('starts as "unregistered" and follows the agent’s state with its icon, tooltip and menu', () => {
    const t = setup();
    expect(t.icons.at(-1)).toEqual({ state: 'unregistered', due: 0 });
    expect(t.tray.setToolTip).toHaveBeenLastCalledWith('Alo 153 — Telefon bağlı değil');
    t.controller.update(ready);
    expect(t.icons.at(-1)).toEqual({ state: 'available', due: 0 });
    expect(t.tray.setToolTip).toHaveBeenLastCalledWith('Alo 153 — Hazır');
    expect(t.item('Hazır')).toMatchObject({ type: 'radio', checked: true, enabled: true });
    t.controller.update({ ...ready, agentState: 'dnd' });
    expect(t.item('Rahatsız etmeyin')).toMatchObject({ checked: true });
    expect(t.menu()[0]?.label).toBe('Alo 153 — Rahatsız etmeyin');
  });

  it('lets the agent change state from the tray, with a break reason', () => {
    const t = setup();
    t.controller.update(ready);
    t.clickItem('Rahatsız etmeyin');
    expect(t.actions.setAgentState).toHaveBeenLastCalledWith('dnd', null);
    const lunch = (t.item('Molada').submenu as MenuItemConstructorOptions[]).find(
      (m) => m.label === 'Yemek',
    );
    (lunch?.click as () => void)();
    expect(t.actions.setAgentState).toHaveBeenLastCalledWith('break', 'yemek');
  });

  it('shows "Görüşmede" during a call and offers no state change then', () => {
    const t = setup();
    t.controller.update({ ...ready, inCall: true });
    expect(t.icons.at(-1)?.state).toBe('talking');
    expect(t.menu()[0]?.label).toBe('Alo 153 — Görüşmede');
    expect(t.item('Hazır').enabled).toBe(false);
    expect(t.item('Molada').enabled).toBe(false);
  });

  it('shows wrap-up as the current state, which the agent does not pick', () => {
    const t = setup();
    t.controller.update({ ...ready, agentState: 'wrap-up' });
    expect(t.item('Çağrı sonrası işlem')).toMatchObject({ checked: true, enabled: false });
  });

  it('counts due callbacks in the menu, the tooltip, the icon and the badge', () => {
    const t = setup();
    t.controller.update({ ...ready, dueCallbacks: 2 });
    expect(t.tray.setToolTip).toHaveBeenLastCalledWith(
      'Alo 153 — Hazır · 2 geri arama zamanı geldi',
    );
    expect(t.icons.at(-1)).toEqual({ state: 'available', due: 2 });
    expect(t.setBadge).toHaveBeenLastCalledWith(2);
    t.clickItem('Geri aramalar: 2 zamanı geldi');
    expect(t.actions.showWindow).toHaveBeenCalled();
  });

  it('brings the window back on a click, opens diagnostics and quits from the menu', () => {
    const t = setup();
    t.click();
    expect(t.actions.showWindow).toHaveBeenCalledTimes(1);
    t.clickItem('Tanı bilgisi');
    expect(t.actions.openDiagnostics).toHaveBeenCalled();
    t.clickItem('Çıkış');
    expect(t.actions.quit).toHaveBeenCalled();
  });

  it('does not redraw when nothing changed', () => {
    const t = setup();
    t.controller.update(ready);
    const drawn = t.icons.length;
    t.controller.update({ ...ready });
    expect(t.icons.length).toBe(drawn);
  });
});
