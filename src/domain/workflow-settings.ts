import { z } from 'zod';
import { CalendarSettingsSchema } from './calendar/calendar';
import { CallbackPolicySchema } from './workflow/state';

/** What the central API tells desks about the callback workflow (GET /workflow/settings). */
export const WorkflowSettingsWireSchema = z.strictObject({
  callCentreOrg: z.string(),
  calendar: CalendarSettingsSchema,
  policy: CallbackPolicySchema,
  topicWorkingDays: z.record(z.string(), z.number().int()),
});
export type WorkflowSettingsWire = z.infer<typeof WorkflowSettingsWireSchema>;
