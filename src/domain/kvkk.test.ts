import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, retentionCutoffs, scrubPersonalData, subjectRequestDue } from './kvkk';

describe('scrubPersonalData', () => {
  const who = { name: 'Ayşe IŞIK', phone: '+905321234567', email: 'ayse@example.org' };

  it('cuts the citizen’s name, phone and e-mail out of a description, and nothing else', () => {
    const text =
      'Işık Hanım (0532 123 45 67, AYSE@example.org) aradı: Işıklar Caddesi’nde lamba yanmıyor. ayşe hanım tekrar arayacak.';
    expect(scrubPersonalData(text, who)).toBe(
      '*** Hanım (***, ***) aradı: Işıklar Caddesi’nde lamba yanmıyor. *** hanım tekrar arayacak.',
    );
  });

  it('finds the number however it was typed', () => {
    for (const typed of ['05321234567', '+90 532 123 4567', '(532) 123-45-67', '532 1234567']) {
      expect(scrubPersonalData(`Tel: ${typed}.`, who)).toBe('Tel: ***.');
    }
  });

  it('leaves a text without personal data as it is', () => {
    expect(scrubPersonalData('Çöp üç gündür alınmadı.', who)).toBe('Çöp üç gündür alınmadı.');
  });
});

describe('retention', () => {
  it('counts the periods back from now and gives a request thirty days', () => {
    const now = new Date('2026-03-02T09:00:00.000Z');
    const cut = retentionCutoffs(DEFAULT_RETENTION, now);
    expect(cut.closedSok.toISOString()).toBe('2024-03-02T09:00:00.000Z');
    expect(cut.callLog.toISOString()).toBe('2025-03-02T09:00:00.000Z');
    expect(subjectRequestDue(now).toISOString()).toBe('2026-04-01T09:00:00.000Z');
  });
});
