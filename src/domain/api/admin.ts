import { z } from 'zod';
import { RoleSchema } from '../session';
import {
  DisplayNameSchema,
  EmptyBodySchema,
  NewPasswordSchema,
  OrgCodeSchema,
  UserDtoSchema,
  UsernameSchema,
} from './auth';
import { endpoint } from './endpoint';

/** User administration (role admin, within the admin's reach). */

const UserParams = z.strictObject({ id: z.uuid() });

export const admin = {
  listUsers: endpoint('GET', '/admin/users', {
    response: z.object({ users: z.array(UserDtoSchema) }),
  }),
  createUser: endpoint('POST', '/admin/users', {
    body: z.strictObject({
      username: UsernameSchema,
      displayName: DisplayNameSchema,
      password: NewPasswordSchema,
      role: RoleSchema,
      orgCode: OrgCodeSchema,
    }),
    status: 201,
    response: z.object({ user: UserDtoSchema.nullable() }),
  }),
  updateUser: endpoint('PATCH', '/admin/users/:id', {
    params: UserParams,
    body: z.strictObject({
      displayName: DisplayNameSchema.optional(),
      role: RoleSchema.optional(),
      orgCode: OrgCodeSchema.optional(),
      active: z.boolean().optional(),
      /** A new password set by the admin (reset); ends the user's sessions and lockout. */
      password: NewPasswordSchema.optional(),
    }),
    response: z.object({ user: UserDtoSchema.nullable(), revokedSessions: z.number().int() }),
  }),
  unlockUser: endpoint('POST', '/admin/users/:id/unlock', {
    params: UserParams,
    body: EmptyBodySchema,
    response: z.object({ user: UserDtoSchema.nullable(), liftedBlocks: z.number().int() }),
  }),
};
