import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { withWriteLock } from '../db/write-lock';
import { ApiError } from '../http/errors';
import { checkApiKey, type KeyRefusal } from '../open311/api-keys';
import { callMissed } from './missed';

/**
 * Calls the exchange could not deliver to an agent (their link was dead, or nobody was
 * registered on the extension). The desk never saw such a call, so it cannot log it: the SIP
 * front (Kamailio, resources/sip/kamailio.cfg) reports it here and the API records it as a
 * missed inbound call owing a callback, on the missed-call queue of the key's organisation.
 *
 * The SIP front authenticates with an API key (issued by an admin like the web form's, to a
 * service account such as "santral"), sent in the `x-api-key` header. The call is recorded under
 * that account: which agent's extension it was for is kept in the end reason.
 */
export const UndeliveredCallSchema = z.strictObject({
  /** SIP Call-ID of the caller's INVITE (the same the desk would have logged). */
  sipCallId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'Boşluksuz, yazdırılabilir ASCII olmalı.'),
  /** The caller's number as presented (From user). */
  number: z
    .string()
    .min(1)
    .max(32)
    .regex(/^\+?[0-9]+$/, 'Yalnızca rakam (başta + olabilir) olmalı.'),
  /** The extension (SIP user) that was called. */
  extension: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'Geçerli bir SIP kullanıcı adı olmalı.'),
  /** The final SIP status the caller got (404: nobody registered, 408: no answer from the link). */
  sipStatus: z.number().int().min(300).max(699),
});
export type UndeliveredCall = z.output<typeof UndeliveredCallSchema>;

export const KEY_MESSAGES: Record<KeyRefusal, string> = {
  missing: 'x-api-key header required (an API key issued to the SIP front).',
  malformed: 'x-api-key is not a valid API key.',
  unknown: 'x-api-key is not a valid API key.',
  revoked: 'This API key has been revoked.',
  'account-unusable': 'The account of this API key cannot be used; issue a new key.',
};

/** Turkish end reason shown with the missed call. */
export function undeliveredReason(call: Pick<UndeliveredCall, 'extension' | 'sipStatus'>): string {
  const why = call.sipStatus === 404 || call.sipStatus === 480 ? 'kayıtlı değil' : 'ulaşılamadı';
  return `Santral çağrıyı iletemedi: dahili ${call.extension} ${why} (SIP ${call.sipStatus})`;
}

export function registerUndeliveredCallRoute(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'db' | 'clock'>,
): void {
  const { db, clock } = deps;
  app.withTypeProvider<ZodTypeProvider>().post(
    '/calls/undelivered',
    {
      // Not a user session: the SIP front's API key is checked below.
      config: { public: true },
      schema: { body: UndeliveredCallSchema },
    },
    async (request, reply) => {
      const header = request.headers['x-api-key'];
      const check = await checkApiKey(db, typeof header === 'string' ? header : undefined);
      if (!check.ok) {
        throw new ApiError(401, 'token-invalid', KEY_MESSAGES[check.reason]);
      }
      const { user, clientId } = check.auth;
      const call = request.body;
      const at = clock().toISOString();
      const result = await withWriteLock(db, async (trx) => {
        // Reported twice (a retry), or the desk logged it after all: one call, one row.
        const existing = await trx
          .selectFrom('call_log')
          .select(['id', 'callback_state'])
          .where('sip_call_id', '=', call.sipCallId)
          .where('direction', '=', 'inbound')
          .executeTakeFirst();
        if (existing) {
          return { id: existing.id, created: false, state: existing.callback_state };
        }
        const id = randomUUID();
        await trx
          .insertInto('call_log')
          .values({
            id,
            org_code: user.orgCode,
            agent_id: user.id,
            client_id: clientId,
            sip_call_id: call.sipCallId,
            direction: 'inbound',
            number: call.number,
            started_at: at,
            answered_at: null,
            ended_at: at,
            duration_seconds: 0,
            outcome: 'missed',
            end_reason: undeliveredReason(call),
            callback_state: 'owed',
            recorded_at: at,
          })
          .execute();
        await callMissed(trx, {
          id,
          orgCode: user.orgCode,
          agentId: user.id,
          number: call.number,
          startedAt: at,
          endedAt: at,
          outcome: 'missed',
        });
        return { id, created: true, state: 'owed' };
      });
      request.log.info(
        { callId: result.id, extension: call.extension, sipStatus: call.sipStatus },
        'undelivered call reported by the SIP front',
      );
      return reply
        .status(result.created ? 201 : 200)
        .send({ id: result.id, callbackState: result.state, duplicate: !result.created });
    },
  );
}
