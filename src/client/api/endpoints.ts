import {
  contract,
  type AnyEndpoint,
  type Contract,
  type NeedsNoInput,
  type RequestOf,
  type ResponseOf,
} from '../../domain/api';

/** Calls one contract entry: path from its params, answer parsed by its response schema. */
export type RequestFn = <E extends AnyEndpoint>(
  entry: E,
  input: RequestOf<E>,
) => Promise<ResponseOf<E>>;

type Caller<E extends AnyEndpoint> =
  NeedsNoInput<E> extends true
    ? (input?: RequestOf<E>) => Promise<ResponseOf<E>>
    : (input: RequestOf<E>) => Promise<ResponseOf<E>>;

/** The contract as functions: `api.admin.listUsers()`, `api.calls.settle({ params, body })`. */
export type ContractClient = {
  readonly [Area in keyof Contract]: {
    readonly [Name in keyof Contract[Area]]: Contract[Area][Name] extends AnyEndpoint
      ? Caller<Contract[Area][Name]>
      : never;
  };
};

/** Binds every entry of the contract (domain/api) to `request`. */
export function bindContract(request: RequestFn): ContractClient {
  const areas: Record<string, Record<string, (input?: object) => Promise<unknown>>> = {};
  for (const [area, entries] of Object.entries(contract)) {
    const calls: Record<string, (input?: object) => Promise<unknown>> = {};
    for (const [name, entry] of Object.entries(entries as Record<string, AnyEndpoint>)) {
      calls[name] = (input = {}) => request(entry, input as RequestOf<typeof entry>);
    }
    areas[area] = calls;
  }
  // Built from the same keys the type maps over.
  return areas as unknown as ContractClient;
}
