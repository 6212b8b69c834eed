import type { z } from 'zod';
import type { ErrorCode } from '../../domain/errors';

/**
 * Every error the API returns has one shape:
 *
 *   { "error": { "code": "…", "message": "…", "fields"?: {…}, "userMessage"?: "…", "retryAt"?: "…" } }
 *
 * `code` is for programs, `message` (English) for the developer of an API client, `fields` has one
 * Turkish message per invalid input field, `userMessage` is Turkish text meant for the person at
 * the screen (login failures, lockout, rate limits).
 */
export type ApiErrorCode =
  | ErrorCode
  | 'bad-request'
  | 'malformed-json'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'rate-limited'
  | 'invalid-credentials'
  | 'login-locked'
  | 'login-slowed'
  | 'session-expired'
  | 'account-disabled'
  | 'token-missing'
  | 'token-invalid'
  | 'token-expired'
  | 'token-revoked'
  | 'token-replayed'
  | 'setup-complete'
  | 'setup-token-invalid'
  | 'username-taken'
  | 'last-admin';

export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    fields?: Record<string, string>;
    userMessage?: string;
    retryAt?: string;
  };
}

export interface ApiErrorExtra {
  fields?: Record<string, string>;
  userMessage?: string;
  retryAt?: string;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  readonly extra: ApiErrorExtra;

  constructor(statusCode: number, code: ApiErrorCode, message: string, extra: ApiErrorExtra = {}) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.extra = extra;
  }

  toBody(): ApiErrorBody {
    const { fields, userMessage, retryAt } = this.extra;
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(fields !== undefined ? { fields } : {}),
        ...(userMessage !== undefined ? { userMessage } : {}),
        ...(retryAt !== undefined ? { retryAt } : {}),
      },
    };
  }
}

/** What a failed schema check on a request part throws; the error handler adds field messages. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  readonly zodError: z.ZodError;
  /** Set by fastify: 'body' | 'params' | 'querystring' | 'headers'. */
  validationContext?: string;

  constructor(zodError: z.ZodError) {
    super('request validation failed');
    this.name = 'RequestValidationError';
    this.zodError = zodError;
  }
}

export const badRequest = (message: string, fields?: Record<string, string>) =>
  new ApiError(400, 'validation', message, fields === undefined ? {} : { fields });
export const notFound = (message: string) => new ApiError(404, 'not-found', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const conflict = (code: ApiErrorCode, message: string, extra?: ApiErrorExtra) =>
  new ApiError(409, code, message, extra);
