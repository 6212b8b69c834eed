import {
  bridgeMethods,
  isMethodName,
  type MethodName,
  type MethodOutput,
  type ParsedInput,
} from '../domain/bridge/contract';
import { AppError, type Result } from '../domain/errors';
import { t } from '../domain/i18n/tr';
import { parseOrThrow } from '../domain/validation';

/** The handler table: one function per contract method, shared by every transport. */
export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

export type Dispatch = (method: unknown, input: unknown) => Promise<Result<unknown>>;

export interface DispatcherOptions {
  /** Called with unexpected errors (bugs, I/O); the user only sees a generic message. */
  onInternalError?: (method: string, error: unknown) => void;
}

/**
 * Validates the method name and its input once, at the boundary, then calls the handler.
 * Failures come back as data; nothing thrown inside a handler crosses the bridge raw.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatch {
  return async (method, input) => {
    try {
      if (!isMethodName(method)) {
        throw new AppError('not-found', t('error.unknownMethod', { name: String(method) }));
      }
      const parsed = parseOrThrow(bridgeMethods[method].input, input ?? {});
      const handler = handlers[method] as (i: unknown) => unknown;
      const value = await handler(parsed);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toData() };
      options.onInternalError?.(String(method), error);
      return { ok: false, error: { code: 'internal', message: t('error.internal') } };
    }
  };
}
