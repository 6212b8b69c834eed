import { describe, expect, it } from 'vitest';
import { compareTurkish, foldTurkish, searchTokens } from './text';

describe('foldTurkish', () => {
  it('folds every spelling of Yıldırım to the same key', () => {
    const key = foldTurkish('Yıldırım');
    expect(foldTurkish('YILDIRIM')).toBe(key);
    expect(foldTurkish('yildirim')).toBe(key);
    expect(foldTurkish('YıLDıRıM')).toBe(key);
    expect(key).toBe('yildirim');
  });

  it('folds dotted capital İ without leaving a combining dot', () => {
    expect(foldTurkish('İNEGÖL')).toBe('inegol');
    expect(foldTurkish('İznik')).toBe('iznik');
  });

  it('folds ş ç ğ ö ü in both cases', () => {
    expect(foldTurkish('IŞIK')).toBe('isik');
    expect(foldTurkish('ışık')).toBe('isik');
    expect(foldTurkish('Çöp')).toBe('cop');
    expect(foldTurkish('DAĞ YOLU ÜSTÜ')).toBe('dag yolu ustu');
  });

  it('strips other diacritics', () => {
    expect(foldTurkish('Café â î û')).toBe('cafe a i u');
  });
});

describe('searchTokens', () => {
  it('splits on punctuation and keeps digits', () => {
    expect(searchTokens('Çöp, konteyner-No:12')).toEqual(['cop', 'konteyner', 'no', '12']);
  });
});

describe('compareTurkish', () => {
  it('sorts Ç after C and İ after I as a Turkish reader expects', () => {
    const names = ['Çekirge', 'Ilıca', 'Cumhuriyet', 'İstiklal', 'Zafer'];
    expect([...names].sort(compareTurkish)).toEqual([
      'Cumhuriyet',
      'Çekirge',
      'Ilıca',
      'İstiklal',
      'Zafer',
    ]);
  });
});
