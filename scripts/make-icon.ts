// Draws the placeholder app icon, build/icon.png (512×512): "153" in white on the municipal
// blue, rounded. The municipality replaces it with its own icon (build/README.md); run with
// `npx tsx scripts/make-icon.ts` to draw it again.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng, type Rgba } from '../electron/png';

const SIZE = 512;
const BLUE: Rgba = [11, 92, 173, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

// 5×7 glyphs of the three digits the icon needs.
const GLYPHS: Record<string, string[]> = {
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '3': ['####.', '....#', '....#', '.###.', '....#', '....#', '####.'],
};

const text = '153';
const cell = 22; // pixels per glyph dot
const gap = 1; // dots between glyphs
const textWidth = (text.length * 5 + (text.length - 1) * gap) * cell;
const left = Math.round((SIZE - textWidth) / 2);
const top = Math.round((SIZE - 7 * cell) / 2);
const radius = 96;

function inRoundedSquare(x: number, y: number): boolean {
  const margin = 16;
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const cx = Math.min(Math.max(x, lo), hi);
  const cy = Math.min(Math.max(y, lo), hi);
  return Math.hypot(x - cx, y - cy) <= radius;
}

function inText(x: number, y: number): boolean {
  const gx = Math.floor((x - left) / cell);
  const gy = Math.floor((y - top) / cell);
  if (gy < 0 || gy >= 7 || gx < 0) return false;
  const index = Math.floor(gx / (5 + gap));
  const column = gx % (5 + gap);
  const glyph = GLYPHS[text[index] ?? ''];
  return glyph !== undefined && column < 5 && glyph[gy]?.[column] === '#';
}

const png = encodePng(SIZE, (x, y) => {
  if (!inRoundedSquare(x, y)) return CLEAR;
  return inText(x, y) ? WHITE : BLUE;
});
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'icon.png');
fs.writeFileSync(out, png);
console.log(`${out}: ${png.length} bytes`);
