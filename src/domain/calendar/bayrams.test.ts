import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { BAYRAM_YEARS, KURBAN_BAYRAMI_FIRST_DAYS, RAMAZAN_BAYRAMI_FIRST_DAYS } from './bayrams';

describe('bayram table', () => {
  it('has the first bayram days date-holidays knows for Türkiye, every year it covers', () => {
    const tr = new Holidays('TR');
    const ramazan: string[] = [];
    const kurban: string[] = [];
    for (let year = BAYRAM_YEARS.first; year <= BAYRAM_YEARS.last; year += 1) {
      for (const h of tr.getHolidays(year)) {
        if (h.name.startsWith('Ramazan')) ramazan.push(h.date.slice(0, 10));
        if (h.name.startsWith('Kurban')) kurban.push(h.date.slice(0, 10));
      }
    }
    expect(RAMAZAN_BAYRAMI_FIRST_DAYS).toEqual(ramazan);
    expect(KURBAN_BAYRAMI_FIRST_DAYS).toEqual(kurban);
    // And the officially announced 2026 dates: Ramazan 20–22 March, Kurban 27–30 May.
    expect(RAMAZAN_BAYRAMI_FIRST_DAYS).toContain('2026-03-20');
    expect(KURBAN_BAYRAMI_FIRST_DAYS).toContain('2026-05-27');
  });
});
