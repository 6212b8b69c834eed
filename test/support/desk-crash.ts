import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { AGENT, repoRoot } from './stack';

/**
 * Runs a desk (./desk-crash-child.ts, its own process) that signs in as AGENT to `apiUrl`,
 * starts a first sync into `dir` and is killed with SIGKILL in the middle of its first page:
 * `killAt` changes into it when the page is stored on the engine's thread, or once `storedAt`
 * ŞÖKs are committed by the store thread. Fails unless the desk died by that kill.
 */
export async function killDeskMidPage(
  apiUrl: string,
  dir: string,
  at: { pullPage: number } & ({ killAt: number } | { storedAt: number }),
): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'test/support/desk-crash-child.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        DESK_DIR: dir,
        API_URL: apiUrl,
        USERNAME: AGENT.username,
        PASSWORD: AGENT.password,
        PULL_PAGE: String(at.pullPage),
        ...('killAt' in at ? { KILL_AT: String(at.killAt) } : { STORED_AT: String(at.storedAt) }),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  expect(exit, stderr).toEqual({ code: null, signal: 'SIGKILL' });
}
