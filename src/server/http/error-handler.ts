import type { FastifyError, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../../domain/errors';
import { fieldErrors } from '../../domain/validation';
import { t } from '../i18n';
import { ApiError, RequestValidationError, type ApiErrorBody } from './errors';

const DOMAIN_STATUS: Record<ErrorCode, number> = {
  validation: 400,
  'not-found': 404,
  forbidden: 403,
  unauthenticated: 401,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

const PART: Record<string, string> = {
  body: 'request body',
  params: 'route parameters',
  querystring: 'query string',
  headers: 'request headers',
};

/**
 * One Turkish message per field, as the client shows them (domain/validation.ts), except that an
 * unknown field is reported under its own name rather than under its parent object.
 */
function requestFieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    for (const key of issue.keys) {
      fields[[...issue.path, key].join('.')] = t('validation.unknownField', { name: key });
    }
  }
  const others = issues.filter((i) => i.code !== 'unrecognized_keys');
  return others.length === 0 ? fields : { ...fieldErrors(new z.ZodError([...others])), ...fields };
}

/** Maps any thrown value to a status and the API's error body. Never leaks internals on 5xx. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RequestValidationError) {
    const part = PART[error.validationContext ?? 'body'] ?? 'request';
    const issues = error.zodError.issues;
    const summary = issues
      .slice(0, 5)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    return new ApiError(400, 'validation', `The ${part} is invalid: ${summary}`, {
      fields: requestFieldErrors(issues),
      userMessage: t('validation.invalid'),
    });
  }
  if (error instanceof AppError) {
    return new ApiError(DOMAIN_STATUS[error.code], error.code, error.message, {
      ...(error.fields !== undefined ? { fields: error.fields } : {}),
      userMessage: error.message,
    });
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError(400, 'malformed-json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(
        400,
        'malformed-json',
        'The request has Content-Type application/json but an empty body.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'payload-too-large', 'The request body exceeds the size limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(
        415,
        'unsupported-media-type',
        'Unsupported Content-Type; send application/json.',
      );
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 429) {
      return new ApiError(429, 'rate-limited', 'Too many requests; slow down.', {
        userMessage: t('auth.rateLimited'),
      });
    }
    return new ApiError(status, 'bad-request', fastifyError.message ?? 'Bad request.');
  }
  return new ApiError(500, 'internal', 'Internal server error.', {
    userMessage: t('error.internal'),
  });
}

/**
 * Replaces fastify's error and 404 bodies with the API's `{ error: { code, message, … } }`.
 * Client errors log at info without the error object (it may carry submitted values such as
 * passwords); server errors log in full at error level.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: apiError.code, statusCode: apiError.statusCode }, 'request refused');
    }
    for (const [name, value] of Object.entries(apiError.extra.headers ?? {})) {
      reply.header(name, value);
    }
    return reply.status(apiError.statusCode).send(apiError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ApiErrorBody = {
      error: {
        code: 'not-found',
        message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}.`,
      },
    };
    return reply.status(404).send(body);
  });
}
