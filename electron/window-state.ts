import fs from 'node:fs';
import path from 'node:path';
import type { Rectangle } from 'electron';
import { z } from 'zod';

/**
 * The window's size and position, remembered per user on this PC (issue #21): two agents who
 * share a PC in shifts each get their own layout back. The file holds user ids and rectangles,
 * nothing else.
 */
const BoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  maximized: z.boolean().default(false),
});
export type SavedBounds = z.output<typeof BoundsSchema>;
const FileSchema = z.object({ byUser: z.record(z.string(), BoundsSchema).default({}) });

export const MIN_SIZE = { width: 1024, height: 640 };
export const DEFAULT_SIZE = { width: 1280, height: 800 };
/** Key of the layout shown before anyone signs in: the last one used on this PC. */
export const LAST_USED = '';

/**
 * Where to open the window: the saved rectangle if enough of it (a title bar's worth) lies on
 * a display that exists now — a laptop taken off its docking station must not open its window
 * off-screen — else the default size, centred by Electron.
 */
export function restoreBounds(
  saved: SavedBounds | undefined,
  workAreas: readonly Rectangle[],
): { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean } {
  if (!saved) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const width = Math.max(MIN_SIZE.width, saved.width);
  const height = Math.max(MIN_SIZE.height, saved.height);
  const visible = workAreas.some((area) => {
    const w = Math.min(saved.x + width, area.x + area.width) - Math.max(saved.x, area.x);
    const titleBar = Math.min(saved.y + 40, area.y + area.height) - Math.max(saved.y, area.y);
    return w >= 100 && titleBar >= 20;
  });
  if (!visible) return { bounds: { width, height }, maximized: saved.maximized };
  return { bounds: { x: saved.x, y: saved.y, width, height }, maximized: saved.maximized };
}

export interface WindowStateStore {
  load(userId: string): SavedBounds | undefined;
  save(userId: string, bounds: SavedBounds): void;
}

/** The store in `window-state.json` in the data folder; a damaged file is started afresh. */
export function fileWindowStateStore(dataDir: string): WindowStateStore {
  const file = path.join(dataDir, 'window-state.json');
  const read = () => {
    try {
      const parsed = FileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : { byUser: {} };
    } catch {
      return { byUser: {} };
    }
  };
  return {
    load: (userId) => read().byUser[userId],
    save(userId, bounds) {
      const data = read();
      data.byUser[userId] = bounds;
      data.byUser[LAST_USED] = bounds;
      fs.mkdirSync(dataDir, { recursive: true });
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, file);
    },
  };
}
