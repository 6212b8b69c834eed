import type { UserDto } from '../../domain/api/auth';
import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

/** The API answers null for a user gone between its change and its read-back. */
const present = ({ user }: { user: UserDto | null }): UserDto => {
  if (user === null) throw new AppError('not-found', t('error.notFound'));
  return user;
};

/** User administration goes straight to the central API: it is never done offline. */
export function adminHandlers({ api }: HandlerDeps) {
  return {
    'admin.users.list': async () => (await viaApi(() => api.admin.listUsers())).users,
    'admin.users.create': async (input) =>
      present(await viaApi(() => api.admin.createUser({ body: input }))),
    'admin.users.update': async ({ id, ...changes }) =>
      present(await viaApi(() => api.admin.updateUser({ params: { id }, body: changes }))),
    'admin.users.unlock': async ({ id }) =>
      present(await viaApi(() => api.admin.unlockUser({ params: { id } }))),
    'admin.daysOff.list': async () =>
      (await viaApi(() => api.workflow.settings())).calendar.daysOff,
    'admin.daysOff.save': async (input) =>
      (await viaApi(() => api.workflow.replaceDaysOff({ body: input }))).daysOff,
    'admin.organisations.list': async () =>
      (await viaApi(() => api.workflow.organisations())).organisations,
    'admin.organisations.setEmail': async ({ code, email }) => {
      await viaApi(() => api.workflow.setOrganisationEmail({ params: { code }, body: { email } }));
      return null;
    },
  } satisfies Partial<Handlers>;
}
