import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pngSize } from './png';
import { TRAY_COLOURS, trayIconPng } from './tray-icon';

/** The RGBA of pixel (x, y) of a PNG made by encodePng (filter 0 rows). */
function pixel(png: Buffer, x: number, y: number): number[] {
  const { width } = pngSize(png);
  let offset = 8;
  const parts: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    if (type === 'IDAT') parts.push(png.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(parts));
  const at = y * (width * 4 + 1) + 1 + x * 4;
  return [...raw.subarray(at, at + 4)];
}

describe('tray icons', () => {
  it('are valid PNGs of the asked size, coloured by state', () => {
    const png = trayIconPng('dnd', 0, 32);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(pngSize(png)).toEqual({ width: 32, height: 32 });
    expect(pixel(png, 16, 16)).toEqual([...TRAY_COLOURS.dnd]);
    expect(pixel(png, 0, 0)[3]).toBe(0);
  });

  it('tell the states apart, and carry a dot when callbacks are due', () => {
    expect(pixel(trayIconPng('available', 0), 16, 16)).not.toEqual(
      pixel(trayIconPng('break', 0), 16, 16),
    );
    expect(pixel(trayIconPng('available', 3), 25, 7)).toEqual([255, 255, 255, 255]);
    expect(pixel(trayIconPng('available', 0), 25, 7)).not.toEqual([255, 255, 255, 255]);
  });
});
