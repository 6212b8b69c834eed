import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { RequestValidationError } from './errors';

/**
 * Validates request parts with their zod schemas. The type provider (fastify-type-provider-zod)
 * gives handlers the parsed types; this compiler keeps the whole ZodError (with the inputs, so a
 * missing field reads "zorunlu" rather than "geçersiz") for the error handler to turn into
 * Turkish per-field messages with the same rules the client uses (domain/validation.ts).
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data, { reportInput: true });
    return result.success
      ? { value: result.data }
      : { error: new RequestValidationError(result.error) };
  };
