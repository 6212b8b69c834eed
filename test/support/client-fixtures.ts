import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const resourcesDir = path.join(repoRoot, 'resources');

export function referenceJson(): unknown {
  return JSON.parse(fs.readFileSync(path.join(resourcesDir, 'reference', 'bursa.json'), 'utf8'));
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'alo153-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const validDraft = {
  typeCode: 'sikayet',
  topicCode: 'temizlik.cop-toplanmadi',
  districtCode: 'yildirim',
  mahalle: 'Değirmenönü',
  address: 'Ihlamur Sokak No: 4',
  description: 'Çöp konteyneri üç gündür boşaltılmadı, kötü koku var.',
  citizenName: 'Ayşe Işık',
  citizenPhone: '0532 123 45 67',
};
