import { describe, expect, it } from 'vitest';
import { readReferenceFile } from '../reference-seed';
import { districtsInText, intakePayload, readFields } from './intake';
import { istanbulDateTime } from './requests';
import { buildServiceCatalogue } from './services';

const data = readReferenceFile('resources/reference/bursa.json');
const catalogue = buildServiceCatalogue(data);
const now = new Date('2026-03-02T09:00:00.000Z');

describe('districtsInText', () => {
  it('finds a district however its name is cased or spelt without Turkish letters', () => {
    for (const text of [
      'Fethiye Mah. Nilüfer/Bursa',
      'FETHİYE MAH. NİLÜFER',
      'fethiye mah nilufer bursa',
      'NILUFER',
    ]) {
      expect(districtsInText(text, data.districts), text).toEqual(['nilufer']);
    }
  });

  it('reads names written as separate words, but not inside other words', () => {
    expect(districtsInText('Mustafa Kemal Paşa, Bursa', data.districts)).toEqual([
      'mustafakemalpasa',
    ]);
    expect(districtsInText('Yeni Şehir yolu', data.districts)).toEqual(['yenisehir']);
    expect(districtsInText('Kestelli Sk. No 4', data.districts)).toEqual([]);
  });

  it('returns every district named, so the caller can refuse to guess', () => {
    expect(districtsInText('Osmangazi Mah., Gemlik', data.districts).sort()).toEqual([
      'gemlik',
      'osmangazi',
    ]);
  });
});

describe('readFields', () => {
  it('reads JSON attribute objects as attribute[code] fields and refuses repeated fields', () => {
    const { fields, problems } = readFields({
      service_code: 'yol.cukur',
      lat: 40.2,
      attribute: { ilce: 'nilufer' },
      phone: ['0532 123 45 67', '0533 000 00 00'],
    });
    expect(Object.fromEntries(fields)).toEqual({
      service_code: 'yol.cukur',
      lat: '40.2',
      'attribute[ilce]': 'nilufer',
    });
    expect(problems).toEqual(['phone: Yalnızca bir kez gönderilmelidir.']);
  });
});

describe('intakePayload', () => {
  const form = (extra: Record<string, string> = {}) =>
    new Map(
      Object.entries({
        service_code: 'yol.cukur',
        'attribute[ilce]': 'İnegöl',
        address_id: 'UAVT-1234567',
        first_name: 'Ömer',
        last_name: 'Çelik',
        email: 'Omer@Example.com',
        description: 'Kavşakta derin bir çukur var.',
        ...extra,
      }),
    );

  it('builds a web ŞÖK: district by name, type by default, e-mail as the contact', () => {
    const payload = intakePayload(form(), { data, catalogue }, now);
    expect(payload).toMatchObject({
      channelCode: 'web',
      typeCode: 'sikayet',
      topicCode: 'yol.cukur',
      districtCode: 'inegol',
      address: '(adres kodu: UAVT-1234567)',
      citizenName: 'Ömer Çelik',
      citizenPhone: '',
      preferredContact: 'e-posta',
      regNo: null,
      registeredAt: now.toISOString(),
      targetOrg: null,
      kvkkNoticeGiven: false,
    });
  });

  it('keeps a media link with the description', () => {
    const payload = intakePayload(
      form({ media_url: 'https://foto.bursa.bel.tr/a.jpg' }),
      { data, catalogue },
      now,
    );
    expect(payload.description).toBe(
      'Kavşakta derin bir çukur var.\n\nEk: https://foto.bursa.bel.tr/a.jpg',
    );
  });

  it('refuses coordinates written other than as plain decimal degrees', () => {
    for (const lat of ['4e1', '0x28', '40,18', 'NaN']) {
      expect(
        () => intakePayload(form({ lat, long: '29.06' }), { data, catalogue }, now),
        lat,
      ).toThrow(/^lat: /);
    }
  });
});

describe('istanbulDateTime', () => {
  it('writes UTC instants in Turkey time with the offset the spec requires', () => {
    expect(istanbulDateTime('2026-03-02T09:00:00.000Z')).toBe('2026-03-02T12:00:00+03:00');
    expect(istanbulDateTime('2026-12-31T22:30:15.999Z')).toBe('2027-01-01T01:30:15+03:00');
    // Before 2016 Turkey kept summer and winter time.
    expect(istanbulDateTime('2015-01-15T10:00:00.000Z')).toBe('2015-01-15T12:00:00+02:00');
  });
});
