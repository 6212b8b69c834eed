import type { TrayIconState } from '../src/domain/shell';
import { encodePng, type Rgba } from './png';

/** One colour per state, as the header's state badge shows them. */
export const TRAY_COLOURS: Record<TrayIconState, Rgba> = {
  available: [27, 127, 59, 255],
  break: [199, 119, 0, 255],
  talking: [11, 92, 173, 255],
  'wrap-up': [106, 76, 160, 255],
  dnd: [179, 38, 30, 255],
  unregistered: [120, 128, 138, 255],
};

const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/**
 * The tray icon for a state: a filled disc in the state's colour with a white ring, and, when
 * callbacks are due, a white dot at the top right. Drawn here so the tray needs no image files.
 */
export function trayIconPng(state: TrayIconState, dueCallbacks: number, size = 32): Buffer {
  const c = (size - 1) / 2;
  const outer = size / 2;
  const ring = outer - Math.max(1, size / 16);
  const dot = { x: size * 0.78, y: size * 0.22, r: size * 0.17 };
  return encodePng(size, (x, y) => {
    if (dueCallbacks > 0 && Math.hypot(x - dot.x, y - dot.y) <= dot.r) return WHITE;
    const d = Math.hypot(x - c, y - c);
    if (d > outer) return CLEAR;
    if (d > ring) return WHITE;
    return TRAY_COLOURS[state];
  });
}
