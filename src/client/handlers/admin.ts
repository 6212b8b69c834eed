import { z } from 'zod';
import type { AdminUser } from '../../domain/session';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

const UsersResponse = z.object({ users: z.array(z.custom<AdminUser>()) });
const UserResponse = z.object({ user: z.custom<AdminUser>() });

/** User administration goes straight to the central API: it is never done offline. */
export function adminHandlers({ api }: HandlerDeps) {
  return {
    'admin.users.list': async () =>
      UsersResponse.parse(await viaApi(() => api.call('GET', '/admin/users'))).users,
    'admin.users.create': async (input) =>
      UserResponse.parse(await viaApi(() => api.call('POST', '/admin/users', input))).user,
    'admin.users.update': async ({ id, ...changes }) =>
      UserResponse.parse(await viaApi(() => api.call('PATCH', `/admin/users/${id}`, changes))).user,
  } satisfies Partial<Handlers>;
}
