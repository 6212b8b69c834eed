import { z } from 'zod';
import { DayOffSchema } from '../calendar/calendar';
import { text } from '../text-input';
import { WorkflowSettingsWireSchema } from '../workflow-settings';
import { endpoint } from './endpoint';

/** The callback workflow's settings, the extra days off and the organisations' mailboxes. */

export const OrganisationSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  email: z.string().nullable(),
});

export const workflow = {
  /** Answers 304 (no body) when the settings still have the `if-none-match` ETag. */
  settings: endpoint('GET', '/workflow/settings', { response: WorkflowSettingsWireSchema }),
  replaceDaysOff: endpoint('PUT', '/admin/days-off', {
    body: z.strictObject({ daysOff: z.array(DayOffSchema).max(1000) }),
    response: z.object({ daysOff: z.array(DayOffSchema) }),
  }),
  organisations: endpoint('GET', '/admin/organisations', {
    response: z.object({ organisations: z.array(OrganisationSchema) }),
  }),
  setOrganisationEmail: endpoint('PUT', '/admin/organisations/:code', {
    params: z.strictObject({ code: text({ min: 1, max: 64, trim: false }) }),
    body: z.strictObject({ email: z.email().max(254).nullable() }),
    response: z.object({ code: z.string(), email: z.string().nullable() }),
  }),
};
