import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tr as rendererCatalogue } from '../../renderer/src/locale/tr';
import { tr as domainCatalogue } from '../../src/domain/i18n/tr';
import { serverTr as serverCatalogue } from '../../src/server/i18n';

/**
 * One message catalogue per surface (domain, server, renderer), with typed keys: a key used but
 * missing fails the type-check; these tests fail on a key nobody uses, on a key built at run time
 * (which would hide its use from them: list it in a typed map instead) and on a text written in two
 * catalogues (a message both desk and server show belongs to the domain's).
 */
const root = path.resolve(__dirname, '../..');

function sources(...dirs: string[]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        files.set(path.relative(root, full), fs.readFileSync(full, 'utf8'));
      }
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  return files;
}

const CATALOGUE_FILES = [
  'src/domain/i18n/tr.ts',
  'src/server/i18n.ts',
  'renderer/src/locale/tr.ts',
];

const SURFACES = [
  // The domain's messages are shown by the desk (client and renderer) and the server alike.
  { name: 'domain', keys: Object.keys(domainCatalogue), dirs: ['src', 'renderer/src', 'electron'] },
  { name: 'server', keys: Object.keys(serverCatalogue), dirs: ['src/server'] },
  { name: 'renderer', keys: Object.keys(rendererCatalogue), dirs: ['renderer/src'] },
] as const;

function referenced(key: string, files: Map<string, string>): boolean {
  const quoted = [`'${key}'`, `"${key}"`, `\`${key}\``];
  for (const [file, text] of files) {
    if (CATALOGUE_FILES.includes(file)) continue;
    if (quoted.some((q) => text.includes(q))) return true;
  }
  return false;
}

describe('the message catalogues', () => {
  for (const surface of SURFACES) {
    it(`use every key of the ${surface.name} catalogue somewhere, by name`, () => {
      const files = sources(...surface.dirs);
      expect(surface.keys.filter((key) => !referenced(key, files))).toEqual([]);
    });
  }

  it('are never indexed with a key built at run time', () => {
    const built: string[] = [];
    for (const [file, text] of sources('src', 'renderer/src', 'electron')) {
      // ui(`status.${s}`), t(`error.${x}`) …: the test above could not see which keys are used.
      for (const m of text.matchAll(/\b(?:ui|t|serverText)\(\s*`[^`]*\$\{/g)) {
        built.push(`${file}: ${m[0]}`);
      }
    }
    expect(built).toEqual([]);
  });

  it('share no key and no text: a message both surfaces show comes from the domain', () => {
    const catalogues = {
      domain: domainCatalogue,
      server: serverCatalogue,
      renderer: rendererCatalogue,
    } as Record<string, Record<string, string>>;
    const keys = new Map<string, string[]>();
    const texts = new Map<string, string[]>();
    for (const [name, catalogue] of Object.entries(catalogues)) {
      for (const [key, text] of Object.entries(catalogue)) {
        keys.set(key, [...(keys.get(key) ?? []), name]);
        // Labels of one word or two ("Kaydet", "Durum") may repeat; sentences may not.
        if (text.split(' ').length > 2) {
          texts.set(text, [...(texts.get(text) ?? []), `${name}:${key}`]);
        }
      }
    }
    const twice = (m: Map<string, string[]>) =>
      [...m].filter(([, where]) => new Set(where.map((w) => w.split(':')[0])).size > 1);
    expect(twice(keys)).toEqual([]);
    expect(twice(texts)).toEqual([]);
  });
});
