import { z } from 'zod';
import { AssignPayloadSchema, EscalatePayloadSchema } from '../workflow/inputs';
import {
  ExportQuerySchema,
  ExternalFiguresResponseSchema,
  MailFiguresResponseSchema,
  MonthlyReportQuerySchema,
  OutlookResponseSchema,
  QueueItemsQuerySchema,
  QueueItemsResponseSchema,
  QueuesResponseSchema,
  SlaResponseSchema,
  StaffResponseSchema,
  VolumesResponseSchema,
} from '../supervisor';
import { text } from '../text-input';
import { endpoint, FileSchema } from './endpoint';

/** The supervisor console (docs/supervisor.md): figures, drill-downs, callbacks, exports. */

/** The last 30 days when no period is given; the server checks the days (PeriodQuerySchema). */
const Period = z.strictObject({ from: z.string().optional(), to: z.string().optional() });
const Done = z.object({ ok: z.literal(true) });

export const supervisor = {
  queues: endpoint('GET', '/supervisor/queues', { response: QueuesResponseSchema }),
  outlook: endpoint('GET', '/supervisor/outlook', { response: OutlookResponseSchema }),
  queueItems: endpoint('GET', '/supervisor/queues/items', {
    query: QueueItemsQuerySchema,
    response: QueueItemsResponseSchema,
  }),
  staff: endpoint('GET', '/supervisor/staff', {
    query: z.strictObject({ org: text({ min: 1, max: 64, trim: false }) }),
    response: StaffResponseSchema,
  }),
  assignCallback: endpoint('POST', '/supervisor/callbacks/assign', {
    body: AssignPayloadSchema,
    response: Done,
  }),
  escalateCallback: endpoint('POST', '/supervisor/callbacks/escalate', {
    body: EscalatePayloadSchema,
    response: Done,
  }),
  sla: endpoint('GET', '/supervisor/sla', { query: Period, response: SlaResponseSchema }),
  volumes: endpoint('GET', '/supervisor/volumes', {
    query: Period,
    response: VolumesResponseSchema,
  }),
  /** The "E-posta" intake queue: unhandled mail, its oldest, handled within the target. */
  mail: endpoint('GET', '/supervisor/mail', {
    query: Period,
    response: MailFiguresResponseSchema,
  }),
  /** How long organisations outside the app take to answer (per organisation). */
  external: endpoint('GET', '/supervisor/external-orgs', {
    query: Period,
    response: ExternalFiguresResponseSchema,
  }),
  /** CSV or XLSX of one report. */
  export: endpoint('GET', '/supervisor/export', {
    query: ExportQuerySchema,
    download: true,
    response: FileSchema,
  }),
  monthlyReport: endpoint('GET', '/supervisor/report.pdf', {
    query: MonthlyReportQuerySchema,
    download: true,
    response: FileSchema,
  }),
};
