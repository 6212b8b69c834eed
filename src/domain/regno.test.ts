import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRegNo, parseRegNo, REG_NO_MAX_SEQUENCE } from './regno';

describe('registration numbers', () => {
  it('are eight digits in two groups of four', () => {
    expect(formatRegNo(1)).toMatch(/^\d{4}-\d{4}$/);
    expect(formatRegNo(1234567)).toMatch(/^1234-567\d$/);
  });

  it('read back to the same sequence however the citizen spaces them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: REG_NO_MAX_SEQUENCE }), (seq) => {
        const shown = formatRegNo(seq);
        expect(parseRegNo(shown)).toBe(seq);
        expect(parseRegNo(shown.replace('-', ' '))).toBe(seq);
        expect(parseRegNo(shown.replace('-', ''))).toBe(seq);
      }),
    );
  });

  it('catch any single mistyped digit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: REG_NO_MAX_SEQUENCE }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        (seq, position, delta) => {
          const digits = formatRegNo(seq).replace('-', '').split('');
          digits[position] = String((Number(digits[position]) + delta) % 10);
          const typo = digits.join('');
          const parsed = parseRegNo(typo);
          expect(parsed === null || parsed !== seq).toBe(true);
          expect(parsed).toBeNull();
        },
      ),
    );
  });

  it('refuse sequences outside the range', () => {
    expect(() => formatRegNo(0)).toThrow(RangeError);
    expect(() => formatRegNo(REG_NO_MAX_SEQUENCE + 1)).toThrow(RangeError);
    expect(parseRegNo('abcd-efgh')).toBeNull();
  });
});
