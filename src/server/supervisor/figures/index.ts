/**
 * The supervisor's figures, each one or a few SQL aggregates over the ŞÖKs the supervisor may see
 * (src/server/scope.ts): nothing is pulled into memory row by row except a drill-down page. The
 * SLA and volumes read months that are over from the monthly stats (../stats.ts), the rest from
 * `sok`. One module per figure: ./queues.ts, ./sla.ts (with ./calls.ts), ./volumes.ts, ./mail.ts (the e-mail intake queue); what they
 * share (the context, the names, the visible ŞÖKs) is ./context.ts.
 */
export { namesOf, type FigureContext, type Names } from './context';
export { lineLive, linePeriodFigures, lineWaiting } from './line';
export { mailDueAt, mailFigures, workingMinutesBetween, type MailTarget } from './mail';
export { queueCounts, queueItems } from './queues';
export { callbackSettledIn, slaFigures } from './sla';
export { volumeFigures } from './volumes';
