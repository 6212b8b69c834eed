import { z } from 'zod';
import { text } from './text-input';

/** Who is signed in, sync status and user administration, as the UI sees them. */

export const ROLES = ['agent', 'desk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = z.enum(ROLES);

/** Roles that register ŞÖKs; an admin account manages users and settings only. */
export const REGISTERING_ROLES: ReadonlySet<Role> = new Set(['agent', 'desk', 'supervisor']);

export const ROLE_NAMES: Record<Role, string> = {
  agent: 'Çağrı merkezi temsilcisi',
  desk: 'Hizmet masası personeli',
  supervisor: 'Süpervizör',
  admin: 'Yönetici',
};

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
  orgKind: string;
  districtCode: string | null;
}

export interface AuthStatus {
  user: SessionUser | null;
  /** Null when the central API could not be asked (offline). */
  needsSetup: boolean | null;
  /** The empty embedded API offers the demo month (POST /setup/demo). */
  demoAvailable: boolean;
  apiUrl: string;
  /** Signed in while the API was unreachable; becomes an online session when it answers. */
  offline?: boolean;
}

/** What the demo month created (auth.demo). */
export interface DemoSummary {
  users: number;
  soks: number;
  calls: number;
}

const username = text({ min: 1, max: 64 });
const password = text({ min: 1, max: 1024, trim: false });
const displayName = text({ min: 2, max: 120 });

export const LoginSchema = z.strictObject({ username, password });
export const SetupAdminSchema = z.strictObject({ username, displayName, password });
export const PasswordChangeSchema = z.strictObject({
  currentPassword: password,
  newPassword: password,
});
export const AdminUserCreateSchema = z.strictObject({
  username,
  displayName,
  password,
  role: RoleSchema,
  orgCode: text({ min: 1, max: 64 }),
});
export const AdminUserUpdateSchema = z.strictObject({
  id: z.uuid(),
  displayName: displayName.optional(),
  role: RoleSchema.optional(),
  orgCode: text({ min: 1, max: 64, trim: false }).optional(),
  active: z.boolean().optional(),
  password: password.optional(),
});

export interface AdminUser extends SessionUser {
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export const SyncStatusSchema = z.strictObject({
  state: z.enum(['online', 'offline', 'signed-out', 'syncing']),
  pending: z.number(),
  othersPending: z.number(),
  rejected: z.number(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  numbersLeft: z.number(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export interface RejectedMutation {
  mutationId: number;
  kind: string;
  entityId: string;
  /** One line that tells the user which record this was (e.g. number, topic and citizen). */
  summary: string;
  message: string;
  createdAt: string;
}
