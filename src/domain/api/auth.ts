import { z } from 'zod';
import { t } from '../i18n/tr';
import { ROLES } from '../session';
import { text } from '../text-input';
import { endpoint } from './endpoint';

/** Sign-in, tokens, first setup: the central API's account routes (docs/api-contract.md). */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** The password policy, as a schema for request bodies. */
export const NewPasswordSchema = text({
  min: PASSWORD_MIN_LENGTH,
  max: PASSWORD_MAX_LENGTH,
  trim: false,
  messages: {
    required: t('password.tooShort', { min: PASSWORD_MIN_LENGTH }),
    tooShort: t('password.tooShort', { min: PASSWORD_MIN_LENGTH }),
    tooLong: t('password.tooLong', { max: PASSWORD_MAX_LENGTH }),
  },
});

/** Usernames are ASCII so that lower-casing is unambiguous (no I/ı/İ/i surprises). */
export const UsernameSchema = text({ max: 64 })
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, t('user.usernameFormat'));

export const DisplayNameSchema = text({ min: 2, max: 120 });

export const OrgCodeSchema = text({
  min: 1,
  max: 64,
  messages: { tooLong: t('validation.unknownCode') },
});

/** An installation id: the client generates it once (a UUID fits). */
export const ClientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** Body-less endpoints still refuse stray fields. */
export const EmptyBodySchema = z.strictObject({}).nullish();

export const SessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  orgCode: z.string(),
  orgKind: z.string(),
  districtCode: z.string().nullable(),
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

/** A user as the admin endpoints return it: never the password hash. */
export const UserDtoSchema = SessionUserSchema.extend({
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserDto = z.infer<typeof UserDtoSchema>;

export const TokensSchema = z.object({
  sessionId: z.string(),
  accessToken: z.string(),
  accessExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
});
export type Tokens = z.infer<typeof TokensSchema>;

const TokenResponseSchema = TokensSchema.extend({ tokenType: z.literal('Bearer') });

export const auth = {
  login: endpoint('POST', '/auth/login', {
    public: true,
    body: z.strictObject({
      username: text({ max: 200, trim: false }),
      // Longer than any allowed password, but bounded so nobody makes us hash a megabyte.
      password: text({ max: 1024, trim: false }),
      clientId: ClientIdSchema,
    }),
    response: TokenResponseSchema.extend({ user: SessionUserSchema }),
  }),
  refresh: endpoint('POST', '/auth/refresh', {
    public: true,
    body: z.strictObject({ refreshToken: text({ min: 1, max: 512, trim: false }) }),
    response: TokenResponseSchema,
  }),
  logout: endpoint('POST', '/auth/logout', {
    body: EmptyBodySchema,
    status: 204,
    response: z.undefined(),
  }),
  me: endpoint('GET', '/auth/me', {
    response: z.object({ user: SessionUserSchema, sessionId: z.string(), clientId: z.string() }),
  }),
  changePassword: endpoint('POST', '/auth/password', {
    body: z.strictObject({
      currentPassword: text({ max: 1024, trim: false }),
      newPassword: NewPasswordSchema,
    }),
    response: z.object({ revokedSessions: z.number().int() }),
  }),
};

export const setup = {
  status: endpoint('GET', '/setup/status', {
    public: true,
    response: z.object({ needsSetup: z.boolean(), demoAvailable: z.boolean().default(false) }),
  }),
  /** The demo month on an empty embedded API: a minute or two of work on the server. */
  demo: endpoint('POST', '/setup/demo', {
    public: true,
    body: z.strictObject({ setupToken: z.string().max(200).optional() }),
    status: 201,
    response: z.object({ users: z.number(), soks: z.number(), calls: z.number() }),
  }),
  admin: endpoint('POST', '/setup/admin', {
    public: true,
    body: z.strictObject({
      username: UsernameSchema,
      displayName: DisplayNameSchema,
      password: NewPasswordSchema,
      setupToken: text({ max: 200, trim: false }).optional(),
    }),
    status: 201,
    response: z.object({ user: UserDtoSchema.nullable() }),
  }),
};
