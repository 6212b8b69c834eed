import type { FastifyInstance, FastifySchema, HTTPMethods } from 'fastify';

/** One route as it was registered: what a generic client (the fuzz test, docs) needs to call it. */
export interface CataloguedRoute {
  method: HTTPMethods;
  url: string;
  schema: FastifySchema | undefined;
  public: boolean;
  websocket: boolean;
}

const catalogues = new WeakMap<FastifyInstance, CataloguedRoute[]>();

/**
 * Records every route registered after this call (in any plugin context), so tooling can walk
 * the whole API without a hand-kept list: a new route is covered the day it is added.
 */
export function installRouteCatalogue(app: FastifyInstance): void {
  const routes: CataloguedRoute[] = [];
  catalogues.set(app, routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const config = (route.config ?? {}) as { public?: boolean };
    for (const method of methods as HTTPMethods[]) {
      if (method === 'HEAD' && routes.some((r) => r.url === route.url && r.method === 'GET')) {
        continue;
      }
      routes.push({
        method,
        url: route.url,
        schema: route.schema,
        public: config.public === true,
        websocket: (route as { websocket?: boolean }).websocket === true,
      });
    }
  });
}

/** The routes recorded for `app` (empty when the catalogue was not installed). */
export function routesOf(app: FastifyInstance): readonly CataloguedRoute[] {
  return catalogues.get(app) ?? [];
}
