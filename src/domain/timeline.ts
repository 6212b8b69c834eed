/**
 * Every kind of event a ŞÖK's timeline holds (`sok_event.kind`). The workflow's entries
 * (./workflow/transitions.ts) and the server's own events (the mailbox, organisations outside
 * the app, the notifications) are typed by it, so a new kind must be added here, and the desk's
 * catalogue (renderer/src/i18n.ts EVENT_KEY) must then give it a Turkish label.
 */
export const TIMELINE_EVENT_KINDS = [
  'registered',
  'routed',
  'rerouted',
  'contact',
  'accepted',
  'returned',
  'decided',
  'claimed',
  'released',
  'claim-expired',
  'attempt',
  'informed',
  'unreachable',
  'closed',
  'reopened',
  'escalated',
  'assigned',
  'decision-not-sent',
  'mail-not-sent',
  'decision-by-email',
  'written-notice-needed',
  // The Alo-153 mailbox (docs/mailbox.md).
  'citizen-email',
  'organisation-email',
  'external-overdue',
] as const;
export type TimelineEventKind = (typeof TIMELINE_EVENT_KINDS)[number];
