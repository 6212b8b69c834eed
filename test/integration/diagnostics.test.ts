import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDeskLog } from '../../src/client/log-file';
import type { Diagnostics } from '../../src/domain/diagnostics';
import type { Sok } from '../../src/domain/sok';
import type { Download } from '../../src/domain/supervisor';
import { call, signInAs, tempDir, useTestStack, validDraft } from '../support/stack';

/**
 * "Tanı bilgisi" and the support bundle (issue #21) through the bridge, as both hosts serve
 * them: what IT needs, and nothing of the citizen's.
 */
const stack = useTestStack();

describe('diagnostics', () => {
  it('tell IT the versions, folders, API, user and sync state of the desk', async () => {
    const desk = stack.open('desk');
    await signInAs(desk);
    const info = await call<Diagnostics>(desk, 'app.diagnostics', {});
    expect(info).toMatchObject({
      version: 'test',
      host: 'browser',
      apiUrl: stack.api.url,
      user: { username: 'ajan1', orgCode: 'bikom', role: 'agent' },
      sync: { state: 'online', rejected: 0 },
      shell: null,
    });
    expect(info.versions.node).toBe(process.versions.node);
    expect(info.dataDir).toContain('desk');
  });

  it('export a support bundle with the log’s last lines and no citizen’s data', async () => {
    const logDir = path.join(tempDir(), 'logs');
    const log = openDeskLog(logDir);
    const desk = stack.open('desk', { logFile: log, log: log.log });
    await signInAs(desk);
    const sok = await call<Sok>(desk, 'sok.create', validDraft);
    await desk.sync.syncNow();
    // What a careless log call or an echoed error would write.
    log.log(`registered ${sok.regNo ?? ''} for ${validDraft.citizenPhone}`);
    await log.close();

    const file = await call<Download>(desk, 'app.supportBundle', {
      sip: { state: 'registered', message: 'Santrale kayıtlı (1001)' },
    });
    expect(file.filename).toMatch(/^alo153-tani-\d{8}-\d{4}\.json$/);
    const text = Buffer.from(file.base64, 'base64').toString('utf8');
    const bundle = JSON.parse(text) as { diagnostics: Diagnostics; sip: unknown; log: string };
    expect(bundle.sip).toEqual({ state: 'registered', message: 'Santrale kayıtlı (1001)' });
    expect(bundle.diagnostics.logDir).toBe(logDir);
    expect(bundle.log).toContain(`registered ${sok.regNo ?? ''} for ***`);
    for (const personal of [
      validDraft.citizenName,
      '0532 123 45 67',
      '5321234567',
      validDraft.address,
      validDraft.description,
    ]) {
      expect(text).not.toContain(personal);
    }
    fs.rmSync(path.dirname(logDir), { recursive: true, force: true });
  });
});
