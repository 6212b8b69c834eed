/**
 * Errors that cross a boundary (bridge, HTTP) are plain data: a machine code, a message for the
 * user (Turkish) and, for forms, one message per field.
 */
export type ErrorCode =
  | 'validation'
  | 'not-found'
  | 'forbidden'
  | 'unauthenticated'
  | 'conflict'
  | 'unavailable'
  | 'internal';

export interface AppErrorData {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
  }

  toData(): AppErrorData {
    return this.fields === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, fields: this.fields };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };
