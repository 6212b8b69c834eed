import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from './index';
import { endpoint, pathOf } from './endpoint';

describe('pathOf', () => {
  it('fills the parameters in, URI-encoded, and appends the defined query values', () => {
    expect(pathOf(contract.calls.settle, { params: { id: 'a/b c' } })).toBe(
      '/calls/a%2Fb%20c/settle',
    );
    expect(pathOf(contract.calls.missed, { query: { state: 'owed', limit: 500 } })).toBe(
      '/calls/missed?state=owed&limit=500',
    );
    expect(pathOf(contract.supervisor.sla, { query: { from: undefined, to: '2026-03-01' } })).toBe(
      '/supervisor/sla?to=2026-03-01',
    );
    expect(pathOf(contract.admin.listUsers)).toBe('/admin/users');
  });

  it('refuses to build a path with a parameter missing', () => {
    expect(() => pathOf(contract.admin.unlockUser, { params: {} })).toThrow(/parameter id/);
  });
});

describe('endpoint', () => {
  it('types the path parameters: a path with :id needs params naming id', () => {
    // @ts-expect-error a path with :id needs params
    endpoint('GET', '/x/:id', { response: z.object({}) });
    // @ts-expect-error the params must name id
    endpoint('GET', '/x/:id', { params: z.object({ other: z.string() }), response: z.object({}) });
    // @ts-expect-error a path without parameters takes no params
    endpoint('GET', '/x', { params: z.object({ id: z.string() }), response: z.object({}) });
    const ok = endpoint('GET', '/x/:id', {
      params: z.object({ id: z.string() }),
      response: z.object({}),
    });
    expect(ok.status).toBe(200);
    expect(ok.public).toBe(false);
  });
});
