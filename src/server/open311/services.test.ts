import { afterAll, beforeAll, expect, it } from 'vitest';
import { readReferenceFile } from '../reference-seed';
import { forEachBackend } from '../../../test/support/backends';
import type { TestApp } from '../../../test/support/server-app';
import type { Open311Service, Open311ServiceDefinition } from './services';
import { createOpen311App, parseXml } from '../../../test/support/open311';

const reference = readReferenceFile('resources/reference/bursa.json');
const parents = new Set(reference.topics.map((t) => t.parentCode));
const leaves = reference.topics.filter((t) => !parents.has(t.code));

forEachBackend('Open311 discovery and services', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createOpen311App(kind, { publicUrl: 'https://api.bursa.bel.tr/open311/v2' });
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url: `/open311/v2${url}` });

  it('announces the GeoReport v2 endpoint in JSON and XML, without a bearer token', async () => {
    const json = await get('/discovery.json');
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toMatchObject({
      contact: expect.stringContaining('BİKOM'),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: 'https://api.bursa.bel.tr/open311/v2',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    const xml = await get('/discovery.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const endpoint = (parseXml(xml.body).discovery as { endpoints: { endpoint: unknown[] } })
      .endpoints.endpoint[0];
    expect(endpoint).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      formats: { format: ['text/xml', 'application/json'] },
    });
  });

  it('lists every leaf topic as a service, grouped by its parent, identically in JSON and XML', async () => {
    const json = await get('/services.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const services = json.json<Open311Service[]>();
    expect(services.map((s) => s.service_code)).toEqual(leaves.map((l) => l.code));
    expect(services.find((s) => s.service_code === 'yol.cukur')).toEqual({
      service_code: 'yol.cukur',
      service_name: 'Yol çukuru / bozuk asfalt',
      description: 'Yol / Asfalt / Kaldırım: Yol çukuru / bozuk asfalt',
      metadata: true,
      type: 'realtime',
      keywords: 'çukur, asfalt, yama, bozuk yol',
      group: 'Yol / Asfalt / Kaldırım',
    });
    // Groups are not services.
    expect(services.some((s) => s.service_code === 'yol')).toBe(false);

    const xml = await get('/services.xml');
    expect(xml.statusCode).toBe(200);
    const parsed = (parseXml(xml.body).services as { service: Record<string, string>[] }).service;
    // Same content; XML carries booleans as text.
    expect(parsed).toEqual(services.map((s) => ({ ...s, metadata: String(s.metadata) })));
  });

  it('defines the ilçe, mahalle and tür attributes for a service', async () => {
    const json = await get('/services/su.ariza.json');
    expect(json.statusCode, json.body).toBe(200);
    const definition = json.json<Open311ServiceDefinition>();
    expect(definition.service_code).toBe('su.ariza');
    const [ilce, mahalle, tur] = definition.attributes;
    expect(ilce).toMatchObject({
      variable: true,
      code: 'ilce',
      datatype: 'singlevaluelist',
      required: true,
      order: 1,
    });
    expect(ilce?.values).toHaveLength(17);
    expect(ilce?.values).toContainEqual({ key: 'mustafakemalpasa', name: 'Mustafakemalpaşa' });
    expect(mahalle).toMatchObject({ code: 'mahalle', datatype: 'string', required: false });
    expect(mahalle?.values).toBeUndefined();
    expect(tur).toMatchObject({ code: 'tur', datatype: 'singlevaluelist', required: false });
    expect(tur?.values).toContainEqual({ key: 'sikayet', name: 'Şikayet' });

    const xml = await get('/services/su.ariza.xml');
    const doc = parseXml(xml.body).service_definition as {
      service_code: string;
      attributes: { attribute: Record<string, unknown>[] };
    };
    expect(doc.service_code).toBe('su.ariza');
    const attributes = doc.attributes.attribute;
    expect(attributes.map((a) => [a.code, a.datatype, a.required])).toEqual([
      ['ilce', 'singlevaluelist', 'true'],
      ['mahalle', 'string', 'false'],
      ['tur', 'singlevaluelist', 'false'],
    ]);
    const values = (attributes[0]?.values as { value: { key: string; name: string }[] }).value;
    expect(values).toEqual(reference.districts.map((d) => ({ key: d.code, name: d.name })));
  });

  it('answers unknown services, groups, formats and paths with Open311 errors', async () => {
    const unknown = await get('/services/yok.boyle.json');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: 'Bilinmeyen hizmet "yok.boyle".' }]);

    const group = await get('/services/yol.xml');
    expect(group.statusCode).toBe(404);
    expect(parseXml(group.body).errors).toEqual({
      error: [{ code: '404', description: 'Bilinmeyen hizmet "yol".' }],
    });

    // Outside the prefix the app's own error shape still applies.
    const outside = await t.app.inject({ method: 'GET', url: '/open311/nothing.json' });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ error: { code: 'not-found' } });

    for (const url of ['/services.csv', '/services/yol.cukur', '/nothing.json']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      // Errors follow the path's format, XML when it names none.
      if (url.endsWith('.json')) expect(res.json<unknown[]>()).toHaveLength(1);
      else expect(parseXml(res.body).errors).toBeDefined();
    }
  });
});
