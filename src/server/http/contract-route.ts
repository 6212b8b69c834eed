import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  RouteShorthandOptions,
} from 'fastify';
import type { ZodType } from 'zod';
import type { AnyEndpoint, ParsedRequest, ReplyOf } from '../../domain/api';

/** Route options beside what the contract entry fixes (method, path, schemas, public). */
export interface ContractRouteOptions {
  onRequest?: onRequestHookHandler | onRequestHookHandler[];
  config?: Omit<NonNullable<RouteShorthandOptions['config']>, 'public'>;
}

/** The request a contract route's handler gets: params, query and body as its schemas parsed them. */
export type ContractRequest<E extends AnyEndpoint> = FastifyRequest<{
  Params: ParsedRequest<E>['params'];
  Querystring: ParsedRequest<E>['query'];
  Body: ParsedRequest<E>['body'];
}>;

/**
 * A handler answers with the entry's response (typed at compile time) or, for what the schema
 * does not describe (a 304, a file), by sending on the reply itself.
 */
export type ContractHandler<E extends AnyEndpoint> = (
  request: ContractRequest<E>,
  reply: FastifyReply,
) => Promise<ReplyOf<E> | JsonBody<ReplyOf<E>> | FastifyReply>;

/**
 * An answer already serialised (UTF-8 JSON of a `T`), e.g. a pull page shared by many readers:
 * sent as it is, as `application/json; charset=utf-8` like any other answer, instead of being
 * serialised again per request. With the checks on, it is parsed and checked like the others.
 */
export class JsonBody<T> {
  declare readonly answer?: T;

  constructor(readonly bytes: Buffer) {}
}

const CHECKS = 'contractResponseChecks';

/**
 * Checks every contract route's answer against its response schema on `app` (tests and
 * development): a handler that drifts from the contract fails with a 500 there instead of
 * failing on the desk. Off in production, where the answer goes out as the handler made it.
 */
export function checkContractResponses(app: FastifyInstance): void {
  if (!app.hasDecorator(CHECKS)) app.decorate(CHECKS, true);
}

/** The answer does not match the contract's response schema (only with the checks on). */
export class ContractResponseError extends Error {
  constructor(entry: AnyEndpoint, detail: string) {
    super(`${entry.method} ${entry.path}: answer does not match the contract: ${detail}`);
    this.name = 'ContractResponseError';
  }
}

/**
 * Registers the route of a contract entry (domain/api): its params, query and body validated
 * by the entry's zod schemas (bad input answers as every other 400, http/error-handler.ts),
 * `public` from the entry, and the success status the entry declares.
 */
export function contractRoute<E extends AnyEndpoint>(
  app: FastifyInstance,
  entry: E,
  options: ContractRouteOptions,
  handler: ContractHandler<E>,
): void {
  const check = app.hasDecorator(CHECKS);
  app.route({
    method: entry.method,
    url: entry.path,
    ...(options.onRequest !== undefined ? { onRequest: options.onRequest } : {}),
    config: { ...options.config, ...(entry.public ? { public: true } : {}) },
    schema: {
      ...(entry.params !== undefined ? { params: entry.params } : {}),
      ...(entry.query !== undefined ? { querystring: entry.query } : {}),
      ...(entry.body !== undefined ? { body: entry.body } : {}),
    },
    handler: async (request, reply) => {
      if (entry.status !== 200) void reply.status(entry.status);
      const answer = await handler(request as ContractRequest<E>, reply);
      if (answer === reply) return reply;
      const serialised = answer instanceof JsonBody;
      if (check && !entry.download) {
        const value: unknown = serialised ? JSON.parse(answer.bytes.toString('utf8')) : answer;
        const parsed = (entry.response as ZodType).safeParse(value);
        if (!parsed.success) throw new ContractResponseError(entry, parsed.error.message);
      }
      if (serialised) return reply.type('application/json; charset=utf-8').send(answer.bytes);
      return answer;
    },
  });
}
