import { afterEach, describe, expect, it } from 'vitest';
import { methodNames } from '../domain/bridge/contract';
import { createClientCore, type ClientCore } from './core';
import { resourcesDir, tempDir, validDraft } from './test-support/fixtures';

let tmp: ReturnType<typeof tempDir>;
const cores: ClientCore[] = [];
function open(dir: string) {
  const core = createClientCore({
    dataDir: dir,
    host: 'browser',
    version: '0.0.0-test',
    resourcesDir,
    log: () => undefined,
  });
  cores.push(core);
  return core;
}
afterEach(() => {
  while (cores.length) cores.pop()?.close();
  tmp?.cleanup();
});

describe('the client core', () => {
  it('registers a ŞÖK, announces it, and finds it again after a restart', async () => {
    tmp = tempDir();
    const core = open(tmp.dir);
    const seen: unknown[] = [];
    core.events.subscribe((event, payload) => seen.push({ event, payload }));
    const created = await core.dispatch('sok.create', validDraft);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const sok = created.value as { id: string; citizenPhone: string };
    expect(sok.citizenPhone).toBe('+905321234567');
    expect(seen).toEqual([{ event: 'sok.changed', payload: { id: sok.id } }]);
    core.close();
    cores.pop();

    const again = open(tmp.dir);
    const found = await again.dispatch('sok.search', { query: 'YILDIRIM' });
    expect(found).toMatchObject({ ok: true, value: { items: [{ id: sok.id }] } });
    expect(await again.dispatch('sok.get', { id: sok.id })).toMatchObject({ ok: true });
  });

  it('answers bad input with Turkish field errors and writes nothing', async () => {
    tmp = tempDir();
    const core = open(tmp.dir);
    const bad = await core.dispatch('sok.create', {
      ...validDraft,
      citizenPhone: '12',
      description: '',
    });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'Girilen bilgiler geçersiz.',
        fields: {
          citizenPhone: 'Telefon numarası geçerli değil. Örnek: 0532 123 45 67',
          description: 'Bu alan zorunludur.',
        },
      },
    });
    const unknownTopic = await core.dispatch('sok.create', {
      ...validDraft,
      topicCode: 'yok.boyle',
    });
    expect(unknownTopic).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { topicCode: 'Seçilen konu bulunamadı.' } },
    });
    expect(core.db.prepare('SELECT count(*) FROM sok').pluck().get()).toBe(0);
  });

  it('refuses methods outside the contract and hides internal errors', async () => {
    tmp = tempDir();
    const core = open(tmp.dir);
    expect(await core.dispatch('db.exec', { sql: 'DROP TABLE sok' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await core.dispatch('constructor', {})).toMatchObject({ ok: false });
    expect(await core.dispatch('sok.get', { id: 'not-a-uuid' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('answers every contract method', async () => {
    tmp = tempDir();
    const core = open(tmp.dir);
    const created = await core.dispatch('sok.create', validDraft);
    const id = created.ok ? (created.value as { id: string }).id : '';
    const inputs: Record<(typeof methodNames)[number], unknown> = {
      'app.info': {},
      'reference.get': {},
      'sok.create': validDraft,
      'sok.get': { id },
      'sok.search': { query: 'çöp' },
    };
    for (const method of methodNames) {
      expect(await core.dispatch(method, inputs[method]), method).toMatchObject({ ok: true });
    }
  });
});
