import type { AttemptOutcome, Decision, DecisionKind, SokStatus, WontDoReason } from './state';

/** What the workflow's codes are called on screen, on the timeline and in messages. */

export const DECISION_NAMES: Record<DecisionKind, string> = {
  'will-do': 'Yapılacak',
  'wont-do': 'Yapılmayacak',
  'already-done': 'Zaten yapıldı',
  'not-ours': 'Görev alanımız dışında',
};

/** Why something will not be done: the category; the detail is free text. */
export const WONT_DO_REASONS: Record<WontDoReason, string> = {
  budget: 'Ödenek / bütçe yok',
  plan: 'İmar planı veya proje uygun değil',
  law: 'Mevzuat izin vermiyor',
  private: 'Özel mülk / kişisel konu',
  technical: 'Teknik olarak uygun değil',
  priority: 'Öncelik sırasında değil (programa alınamadı)',
  other: 'Diğer',
};

export const ATTEMPT_OUTCOMES: Record<AttemptOutcome, string> = {
  reached: 'Ulaşıldı',
  'no-answer': 'Cevap yok',
  busy: 'Meşgul',
  unreachable: 'Kapalı / ulaşılamıyor',
  'wrong-number': 'Yanlış numara',
  voicemail: 'Sesli mesaj bırakıldı',
};

export const STATUS_NAMES: Record<SokStatus, string> = {
  registered: 'Kaydedildi',
  routed: 'Yönlendirildi',
  accepted: 'Değerlendirmede',
  decided: 'Karar verildi',
  informed: 'Vatandaş bilgilendirildi',
  closed: 'Kapandı',
};

/** One line about a decision for the timeline and lists. */
export function decisionSummary(d: Decision): string {
  switch (d.kind) {
    case 'will-do':
      return `${formatDay(d.plannedDate ?? '')} tarihine kadar${d.explanation ? `; ${d.explanation}` : ''}`;
    case 'wont-do':
      return `${d.reasonCategory ? WONT_DO_REASONS[d.reasonCategory] : ''}: ${d.explanation}`;
    case 'already-done':
      return d.explanation || 'Talep yerine getirilmiş.';
    case 'not-ours':
      return `${d.referralBody ?? ''}${d.explanation ? `: ${d.explanation}` : ''}`;
  }
}

/** 2026-12-04 → 04.12.2026 */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return y && m && d ? `${d}.${m}.${y}` : day;
}
