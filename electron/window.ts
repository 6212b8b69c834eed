import type { BrowserWindow } from 'electron';

export type ForwardWindow = Pick<
  BrowserWindow,
  'isMinimized' | 'restore' | 'show' | 'focus' | 'flashFrame'
>;

/**
 * Brings the window forward: a second start of the app (single-instance lock), a click on a
 * notification or on the tray all land here.
 */
export function bringForward(window: ForwardWindow | null): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  window.flashFrame(false);
}
