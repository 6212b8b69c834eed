import type { Kysely } from 'kysely';
import { t } from '../../domain/i18n/tr';
import type { Database } from '../db/schema';

/**
 * A callback attempt made with the softphone carries its call as evidence (call id and SIP
 * Call-ID). The call must be in the organisation's call log (the desk sends the call before the
 * attempt, in one ordered stream), be a call out, match the SIP Call-ID given, and have gone to
 * the citizen's number: otherwise the attempt is refused rather than stored with false evidence.
 * Returns the SIP Call-ID to record, or the refusal.
 */
export async function attemptEvidence(
  trx: Kysely<Database>,
  evidence: { callId: string; sipCallId: string | null; orgCode: string; citizenPhone: string },
): Promise<{ ok: true; sipCallId: string } | { ok: false; message: string }> {
  const call = await trx
    .selectFrom('call_log')
    .select(['org_code', 'direction', 'sip_call_id', 'number'])
    .where('id', '=', evidence.callId)
    .executeTakeFirst();
  if (
    !call ||
    call.org_code !== evidence.orgCode ||
    call.direction !== 'outbound' ||
    (evidence.sipCallId !== null && evidence.sipCallId !== call.sip_call_id)
  ) {
    return { ok: false, message: t('phone.attemptCallNotFound') };
  }
  if (evidence.citizenPhone !== '' && call.number !== evidence.citizenPhone) {
    return { ok: false, message: t('phone.attemptCallOtherNumber') };
  }
  return { ok: true, sipCallId: call.sip_call_id };
}
