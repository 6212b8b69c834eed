import { z } from 'zod';

/**
 * One route of the central API as both ends see it: method, path, the zod schemas of its request
 * parts and of its answer. Declared once (src/domain/api/*), registered by the server from the
 * entry (server/http/contract-route.ts: validation and handler types) and called by the desk
 * through it (client/api/endpoints.ts: path built from the params, answer parsed by the schema).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The `:name` parameters of a path: `'/admin/users/:id/unlock'` → `'id'`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type Schema = z.ZodType;

export interface Endpoint<
  M extends HttpMethod = HttpMethod,
  P extends string = string,
  Params extends Schema | undefined = Schema | undefined,
  Query extends Schema | undefined = Schema | undefined,
  Body extends Schema | undefined = Schema | undefined,
  Response extends Schema = Schema,
> {
  readonly method: M;
  readonly path: P;
  readonly params: Params;
  readonly query: Query;
  readonly body: Body;
  /** The answer on success. For a download, the file as the desk's HTTP client hands it back. */
  readonly response: Response;
  /** The status of a success. */
  readonly status: 200 | 201 | 204;
  /** Answered with a file (bytes and a content type), not JSON. */
  readonly download: boolean;
  /** Answered without a bearer token (sign-in, first setup). */
  readonly public: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any entry, whatever its schemas
export type AnyEndpoint = Endpoint<HttpMethod, string, any, any, any, any>;

/** A params schema is required exactly when the path has parameters, and names them all. */
type ParamsFor<P extends string> = [PathParamNames<P>] extends [never]
  ? undefined
  : z.ZodType<Record<PathParamNames<P>, unknown>>;

export function endpoint<
  const M extends HttpMethod,
  const P extends `/${string}`,
  Response extends Schema,
  Params extends ParamsFor<P> = ParamsFor<P>,
  Query extends Schema | undefined = undefined,
  Body extends Schema | undefined = undefined,
>(
  method: M,
  path: P,
  spec: {
    response: Response;
    query?: Query;
    body?: Body;
    status?: 200 | 201 | 204;
    download?: boolean;
    public?: boolean;
  } & ([PathParamNames<P>] extends [never] ? { params?: undefined } : { params: Params }),
): Endpoint<M, P, Params, Query, Body, Response> {
  return {
    method,
    path,
    params: spec.params as Params,
    query: spec.query as Query,
    body: spec.body as Body,
    response: spec.response,
    status: spec.status ?? 200,
    download: spec.download ?? false,
    public: spec.public ?? false,
  };
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What the handler gets once the server has validated the request. */
export interface ParsedRequest<E extends AnyEndpoint> {
  params: Out<E['params']>;
  query: Out<E['query']>;
  body: Out<E['body']>;
}

type Part<K extends string, S> = S extends z.ZodType
  ? undefined extends z.input<S>
    ? { [k in K]?: z.input<S> }
    : { [k in K]: z.input<S> }
  : { [k in K]?: never };

/** What a caller sends: the request parts the entry declares, before parsing. */
export type RequestOf<E extends AnyEndpoint> = Part<'params', E['params']> &
  Part<'query', E['query']> &
  Part<'body', E['body']>;

/** The answer as the handler may produce it (before the schema's defaults and transforms). */
export type ReplyOf<E extends AnyEndpoint> = In<E['response']>;

/** The answer as the caller reads it, parsed by the entry's schema. */
export type ResponseOf<E extends AnyEndpoint> = Out<E['response']>;

/** True when the caller has nothing to send (no params, query or body required). */
export type NeedsNoInput<E extends AnyEndpoint> = object extends RequestOf<E> ? true : false;

/**
 * The path with its parameters filled in (each URI-encoded) and the query appended; query
 * values that are undefined are left out.
 */
export function pathOf(
  entry: AnyEndpoint,
  input: { params?: unknown; query?: unknown } = {},
): string {
  const params = (input.params ?? {}) as Record<string, unknown>;
  const path = entry.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) {
      throw new TypeError(`${entry.method} ${entry.path}: parameter ${name} is missing`);
    }
    return encodeURIComponent(String(value as string | number));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((input.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) search.set(key, String(value as string | number));
  }
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

/**
 * A file the API answered with (export, report), as the desk's HTTP client hands it back: the
 * bytes, and how the server typed and named it.
 */
export const FileSchema = z.object({
  bytes: z.instanceof(Uint8Array),
  contentType: z.string(),
  disposition: z.string(),
});
export type ApiFile = z.infer<typeof FileSchema>;
