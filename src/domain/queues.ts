import { z } from 'zod';
import { text } from './text-input';

/** The receiving organisation's inbox: ŞÖKs sent to it, not yet decided. */
export const InboxQuerySchema = z.strictObject({
  /**
   * 'new': not yet accepted; 'evaluating': accepted, no decision yet; 'all': both.
   * 'external' (the call centre only, docs/mailbox.md): ŞÖKs routed to an organisation outside
   * the app and not yet decided, whichever organisation that is; those past the reply time first.
   */
  state: z.enum(['new', 'evaluating', 'all', 'external']).default('all'),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type InboxQuery = z.output<typeof InboxQuerySchema>;

/** The callback queue: sorted by due time, filtered as a desk or supervisor needs. */
export const CallbackQuerySchema = z.strictObject({
  /** 'open' (incl. overdue), 'overdue' only, 'escalated' (late and flagged), or finished ones. */
  state: z.enum(['open', 'overdue', 'escalated', 'done', 'unreachable']).default('open'),
  /** 'mine': claimed by me; 'unclaimed': in the pool; 'any'. */
  owner: z.enum(['mine', 'unclaimed', 'any']).default('any'),
  /** Owning organisation; default: the desk's own (BİKOM supervisors may pick any). */
  ownerOrg: text({ max: 64, trim: false }).optional(),
  districtCode: text({ max: 64, trim: false }).optional(),
  topicCode: text({ max: 64, trim: false }).optional(),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type CallbackQuery = z.output<typeof CallbackQuerySchema>;
