import { describe, expect, it } from 'vitest';
import { ADDRESS_WORDS } from './address-words';
import { phoneTail, placeDocument, readSearchQuery, searchDocument, searchTerms } from './search';

describe('readSearchQuery: words', () => {
  it('folds every token and matches each as a whole word and as a prefix', () => {
    expect(readSearchQuery('YILDIRIM çöp')).toEqual({
      kind: 'words',
      tokens: ['yildirim', 'cop'],
      exact: '"yildirim" AND "cop"',
      prefix: '"yildirim"* AND "cop"*',
    });
  });

  it('cannot be used to inject FTS syntax', () => {
    expect(readSearchQuery('a" OR NEAR(b')).toMatchObject({
      prefix: '"a"* AND "or"* AND "near"* AND "b"*',
    });
    expect(readSearchQuery('*')).toBeNull();
    expect(readSearchQuery('   ')).toBeNull();
  });

  it('reads an address abbreviation as its word, and still as what is being typed when last', () => {
    expect(readSearchQuery('Lale Sk. Yıldırım')).toMatchObject({
      exact: '"lale" AND "sokak" AND "yildirim"',
      prefix: '"lale"* AND "sokak"* AND "yildirim"*',
    });
    expect(readSearchQuery('Atatürk cd')).toMatchObject({
      exact: '"ataturk" AND "cadde"',
      prefix: '"ataturk"* AND ("cadde"* OR "cd"*)',
    });
  });
});

describe('readSearchQuery: numbers', () => {
  const number = (text: string) => readSearchQuery(text);

  it('reads the last 4 or 7 digits as the end of a phone number, never as a registration number', () => {
    for (const text of ['4567', '45 67', ' 4567 ']) {
      expect(number(text)).toEqual({
        kind: 'number',
        regNo: null,
        phoneTail: '7654',
        phonePrefix: null,
      });
    }
    expect(number('123 45 67')).toMatchObject({ regNo: null, phoneTail: '7654321' });
  });

  it('reads a whole phone number the same with 0, +90, 90 or nothing in front', () => {
    for (const text of ['0532 123 45 67', '+90 532 123 45 67', '905321234567', '5321234567']) {
      expect(number(text)).toMatchObject({ regNo: null, phoneTail: '7654321235' });
    }
  });

  it('reads a number being typed from its start as the start of a phone number', () => {
    expect(number('0532 98')).toMatchObject({ phonePrefix: '+9053298' });
    expect(number('+90 532')).toMatchObject({ phonePrefix: '+90532', phoneTail: null });
  });

  it('reads a registration number with its dash, or eight digits, as a registration number', () => {
    expect(number('0012-3454')).toMatchObject({ regNo: '0012-3454', phoneTail: null });
    expect(number('0012-3')).toMatchObject({ regNo: '0012-3', phoneTail: null });
    expect(number('00123454')).toMatchObject({ regNo: '0012-3454', phoneTail: '45432100' });
  });

  it('finds nothing to look for in one to three digits', () => {
    expect(number('45')).toBeNull();
  });
});

describe('address abbreviations', () => {
  it('fold every written form to one word, both ways', () => {
    const forms = {
      cadde: ['Caddesi', 'Cad.', 'Cd.', 'cadde', 'CD'],
      sokak: ['Sokak', 'Sokağı', 'Sk.', 'Sok.', 'SK'],
      mahalle: ['Mahallesi', 'Mah.', 'Mh.', 'mahalle'],
      bulvar: ['Bulvarı', 'Blv.', 'Bulvar'],
      apartman: ['Apartmanı', 'Apt.', 'Apt'],
      no: ['No:', 'No.', 'Numara', 'numarası'],
      kat: ['Kat', 'K:', 'K.'],
      daire: ['Daire', 'D:', 'D.'],
    };
    for (const [word, written] of Object.entries(forms)) {
      for (const form of written) expect(searchTerms(`${form} 5`)).toEqual([word, '5']);
    }
  });

  it('leave a lone letter alone: it is more often an initial', () => {
    expect(searchTerms('Ali K Demir')).toEqual(['ali', 'k', 'demir']);
  });

  it('are one table whose forms belong to one word each', () => {
    const all = ADDRESS_WORDS.flatMap((w) => [...w.forms, ...(w.dotted ?? [])]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('apply to the place and full-text documents', () => {
    expect(
      placeDocument({ mahalle: 'Beşevler Mah.', address: 'Lale Sk. No: 4', district: 'Nilüfer' }),
    ).toBe('besevler mahalle lale sokak no 4 nilufer');
    expect(searchDocument(['Atatürk Cd. Apt. 3'])).toBe('ataturk cadde apartman 3');
  });
});

describe('phoneTail', () => {
  it('reads the national number backwards', () => {
    expect(phoneTail('+905321234567')).toBe('7654321235');
    expect(phoneTail('+4915112345678')).toBe('8765432115194');
  });
});
