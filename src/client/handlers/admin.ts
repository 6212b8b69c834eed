import { z } from 'zod';
import { DayOffSchema } from '../../domain/calendar/calendar';
import type { AdminUser } from '../../domain/session';
import { WorkflowSettingsWireSchema } from '../../domain/workflow-settings';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

const UsersResponse = z.object({ users: z.array(z.custom<AdminUser>()) });
const UserResponse = z.object({ user: z.custom<AdminUser>() });
const DaysOffResponse = z.object({ daysOff: z.array(DayOffSchema) });
const OrganisationsResponse = z.object({
  organisations: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: z.string(),
      email: z.string().nullable(),
    }),
  ),
});

/** User administration goes straight to the central API: it is never done offline. */
export function adminHandlers({ api }: HandlerDeps) {
  return {
    'admin.users.list': async () =>
      UsersResponse.parse(await viaApi(() => api.call('GET', '/admin/users'))).users,
    'admin.users.create': async (input) =>
      UserResponse.parse(await viaApi(() => api.call('POST', '/admin/users', input))).user,
    'admin.users.update': async ({ id, ...changes }) =>
      UserResponse.parse(await viaApi(() => api.call('PATCH', `/admin/users/${id}`, changes))).user,
    'admin.users.unlock': async ({ id }) =>
      UserResponse.parse(await viaApi(() => api.call('POST', `/admin/users/${id}/unlock`))).user,
    'admin.daysOff.list': async () =>
      WorkflowSettingsWireSchema.parse(await viaApi(() => api.call('GET', '/workflow/settings')))
        .calendar.daysOff,
    'admin.daysOff.save': async (input) =>
      DaysOffResponse.parse(await viaApi(() => api.call('PUT', '/admin/days-off', input))).daysOff,
    'admin.organisations.list': async () =>
      OrganisationsResponse.parse(await viaApi(() => api.call('GET', '/admin/organisations')))
        .organisations,
    'admin.organisations.setEmail': async ({ code, email }) => {
      await viaApi(() =>
        api.call('PUT', `/admin/organisations/${encodeURIComponent(code)}`, { email }),
      );
      return null;
    },
  } satisfies Partial<Handlers>;
}
