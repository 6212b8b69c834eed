import { describe, expect, it } from 'vitest';
import { splitFormat, xmlDocument } from './format';
import { parseXml } from '../../../test/support/open311';

describe('xmlDocument', () => {
  it('escapes markup and drops characters XML cannot carry, keeping Turkish text intact', () => {
    const text = 'Şikâyet <b>&</b> "çöp" ]]> \u0001son\u0007\tsekme\nsatır';
    const xml = xmlDocument('errors', { error: [{ code: 400, description: text }] });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<errors>')).toBe(true);
    expect(xml).not.toContain('<b>');
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toContain('\u0007');
    expect(parseXml(xml).errors).toEqual({
      error: [{ code: '400', description: 'Şikâyet <b>&</b> "çöp" ]]> son\tsekme\nsatır' }],
    });
  });

  it('writes null as an empty element and booleans as text', () => {
    const xml = xmlDocument('service_requests', {
      request: [{ account_id: null, metadata: true }],
    });
    expect(parseXml(xml).service_requests).toEqual({
      request: [{ account_id: '', metadata: 'true' }],
    });
  });
});

describe('splitFormat', () => {
  it('takes the last extension, so dotted service codes survive', () => {
    expect(splitFormat('temizlik.cop-toplanmadi.json')).toEqual({
      id: 'temizlik.cop-toplanmadi',
      format: 'json',
    });
    expect(splitFormat('0012-3454.xml')).toEqual({ id: '0012-3454', format: 'xml' });
    expect(splitFormat('yol.cukur')).toBeNull();
    expect(splitFormat('.json')).toBeNull();
  });
});
