import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import { ApiFailure, NetworkFailure } from '../api/http';

/** Runs a call to the central API and turns its failures into messages for the user. */
export async function viaApi<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof NetworkFailure) {
      throw new AppError('unavailable', t('error.apiUnreachable'));
    }
    if (error instanceof ApiFailure) {
      const code =
        error.status === 401
          ? 'unauthenticated'
          : error.status === 403
            ? 'forbidden'
            : error.status === 404
              ? 'not-found'
              : error.status === 409
                ? 'conflict'
                : 'validation';
      const message = error.userMessage ?? (error.fields ? t('validation.invalid') : error.message);
      throw new AppError(code, message, error.fields);
    }
    throw error;
  }
}
