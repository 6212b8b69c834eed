import type { Decision } from './state';
import { formatDay, WONT_DO_REASONS } from './texts';

/**
 * The script the caller reads to the citizen (and the text sent in writing when the citizen
 * cannot be reached): whether and when it will be done, or in detail why not.
 */
export function decisionScript(
  d: Decision,
  sok: { regNo: string | null; citizenName: string; topicName: string; orgName: string },
): string {
  const opening = `${sok.citizenName ? `Sayın ${sok.citizenName}, ` : ''}${sok.regNo ?? ''} numaralı ${sok.topicName} başvurunuz ${sok.orgName} tarafından değerlendirildi.`;
  switch (d.kind) {
    case 'will-do':
      return `${opening} Talebiniz en geç ${formatDay(d.plannedDate ?? '')} tarihine kadar yerine getirilecektir.${d.explanation ? ` ${d.explanation}` : ''}`;
    case 'wont-do':
      return `${opening} Talebiniz yerine getirilemeyecektir. Nedeni: ${d.reasonCategory ? WONT_DO_REASONS[d.reasonCategory] : ''}. ${d.explanation}`;
    case 'already-done':
      return `${opening} Talebiniz yerine getirilmiştir.${d.explanation ? ` ${d.explanation}` : ''}`;
    case 'not-ours':
      return `${opening} Konu belediyemizin görev alanında değildir; ${d.referralBody ?? ''} kurumuna başvurmanız gerekmektedir. ${d.explanation}`;
  }
}
