import { describe, expect, it } from 'vitest';
import { ftsQuery, searchDocument } from './search';

describe('ftsQuery', () => {
  it('folds and prefixes every token', () => {
    expect(ftsQuery('YILDIRIM çöp')).toBe('"yildirim"* "cop"*');
  });

  it('reads a spaced phone number or registration number as one number', () => {
    expect(ftsQuery('0532 123 45')).toBe('"053212345"*');
    expect(ftsQuery('+90 (532) 123')).toBe('"90532123"*');
    expect(ftsQuery('0012-3454')).toBe('"00123454"*');
  });

  it('cannot be used to inject FTS syntax', () => {
    expect(ftsQuery('a" OR NEAR(b')).toBe('"a"* "or"* "near"* "b"*');
    expect(ftsQuery('*')).toBeNull();
    expect(ftsQuery('   ')).toBeNull();
  });
});

describe('searchDocument', () => {
  it('holds the folded fields, the phone forms and the registration number', () => {
    const doc = searchDocument({
      regNo: '0012-3454',
      citizenPhone: '+905321234567',
      fields: ['Ayşe IŞIK', 'Çöp toplanmadı'],
    });
    expect(doc.split(' ')).toEqual(
      expect.arrayContaining([
        '00123454',
        '905321234567',
        '05321234567',
        '5321234567',
        'ayse',
        'isik',
        'cop',
        'toplanmadi',
      ]),
    );
  });
});
