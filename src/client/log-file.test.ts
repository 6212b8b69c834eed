import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_FILE, openDeskLog } from './log-file';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-log-'));
  dirs.push(d);
  return d;
};

describe('the desk’s log file', () => {
  it('writes timed lines with the error, and no phone number or e-mail address', async () => {
    const dir = tempDir();
    const log = openDeskLog(dir, { now: () => new Date('2026-12-07T09:00:00.000Z') });
    log.log(
      'sync push refused for ŞÖK 0012-3454',
      new Error('citizen 0532 123 45 67 ayse@example.com'),
    );
    await log.close();
    const text = fs.readFileSync(path.join(dir, LOG_FILE), 'utf8');
    expect(text).toContain(
      '2026-12-07T09:00:00.000Z sync push refused for ŞÖK 0012-3454 | Error: citizen *** ***@***',
    );
    expect(text).not.toContain('0532');
    expect(text).not.toContain('example.com');
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const dir = tempDir();
    const log = openDeskLog(dir, { size: '1K', maxFiles: 2 });
    for (let i = 0; i < 200; i++) log.log(`satır ${i} ${'x'.repeat(40)}`);
    await log.close();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(files).toContain(LOG_FILE);
    expect(files).toContain('alo153.1.log');
    expect(files.length).toBeLessThanOrEqual(3);
  });

  it('hands the support bundle its last lines', async () => {
    const dir = tempDir();
    const log = openDeskLog(dir);
    log.log('ilk satır');
    log.log('son satır');
    await log.close();
    expect(log.tail(1000)).toMatch(/ilk satır[\s\S]*son satır/);
    expect(log.tail(10).length).toBeLessThanOrEqual(10);
  });
});
