import { z } from 'zod';
import { AccessEntrySchema, RetentionScheduleSchema } from '../kvkk';
import { SokWireSchema } from '../sync';
import { endpoint } from './endpoint';

/** KVKK routes the desk calls (docs/kvkk.md); the administrators' routes are not here yet. */
export const kvkk = {
  /** A desk's views of citizens' contact details; an entry resent (same id) is stored once. */
  recordAccess: endpoint('POST', '/kvkk/access', {
    body: z.strictObject({ entries: z.array(AccessEntrySchema).min(1).max(500) }),
    response: z.object({ stored: z.number().int().min(0) }),
  }),
  /** How long a desk keeps a closed ŞÖK's contact data (every signed-in user may read it). */
  deskRetention: endpoint('GET', '/kvkk/desk-retention', {
    response: RetentionScheduleSchema.pick({ deskClosedDays: true }),
  }),
  /**
   * One ŞÖK as the pull would send it to this user (same scope, same masking): a desk that
   * dropped the contact data of a closed ŞÖK shows it again from here, without storing it.
   */
  sok: endpoint('GET', '/kvkk/soks/:id', {
    params: z.strictObject({ id: z.uuid() }),
    response: z.object({ sok: SokWireSchema }),
  }),
};
