import { createHash } from 'node:crypto';
import fs from 'node:fs';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ReferenceData } from '../../domain/reference';
import { formatRegNo, parseRegNo } from '../../domain/regno';
import type { MutationError } from '../../domain/sync';
import type { AppDeps } from '../app-deps';
import { withWriteLock } from '../db/write-lock';
import { readReferenceFile } from '../reference-seed';
import { loadRoutingRules } from '../routing/rules';
import { applyMutation, type ReferenceIndex } from '../sync/mutations';
import { checkApiKey, registerApiKeyRoutes, type KeyRefusal } from './api-keys';
import {
  badRequest,
  forbidden,
  formatOfRequest,
  notFound,
  Open311Error,
  parseFormat,
  sendAs,
  sendErrors,
  splitFormat,
  toOpen311Error,
  type Format,
} from './format';
import { intakePayload, open311Field, readFields } from './intake';
import {
  findRequests,
  istanbulDateTime,
  parseRequestQuery,
  requestsXml,
  toOpen311Request,
  type RequestMapping,
} from './requests';
import { buildServiceCatalogue, definitionXml, servicesXml } from './services';

export const OPEN311_PREFIX = '/open311/v2';
export const GEOREPORT_V2_SPEC = 'http://wiki.open311.org/GeoReport_v2';

export interface Open311Options {
  /** POSTs allowed per API key and client address in each window (default 30 a minute). */
  postRateLimit?: { max: number; timeWindowMs: number };
  /** Request look-ups (GET /requests…) per client address (default 120 a minute). */
  getRateLimit?: { max: number; timeWindowMs: number };
  /** The endpoint's public URL for discovery; default: this request's scheme and host. */
  publicUrl?: string;
  /** Default: read from `config.referenceFile`, like the reference index. */
  referenceData?: ReferenceData;
}

type Query = Record<string, string | string[] | undefined>;

/** A repeated query parameter is the spec's "declared multiple times": one comma list. */
function flatQuery(query: Query): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(',') : value,
    ]),
  );
}

function formatParam(text: string): Format {
  const format = parseFormat(text);
  if (format === null) throw notFound('Desteklenen biçimler: .xml ve .json.');
  return format;
}

const REFUSALS: Record<KeyRefusal, string> = {
  missing: 'api_key: Zorunlu alan. API anahtarı için BİKOM sistem yöneticisine başvurun.',
  malformed: 'api_key: Geçersiz API anahtarı.',
  unknown: 'api_key: Geçersiz API anahtarı.',
  revoked: 'api_key: Bu API anahtarı iptal edilmiş.',
  'account-unusable': 'api_key: Bu API anahtarının hesabı kullanılamıyor; yeni anahtar alın.',
};

const REJECTION_STATUS: Record<MutationError['code'], number> = {
  validation: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
};

/** A ŞÖK the applier refused, in Open311 terms (its checks mirror intakePayload's). */
function rejection(error: MutationError): Open311Error {
  const fields = Object.entries(error.fields ?? {});
  return new Open311Error(
    REJECTION_STATUS[error.code],
    fields.length === 0
      ? error.message
      : fields.map(([key, message]) => `${open311Field(key)}: ${message}`),
  );
}

/** Rate-limit bucket: the client address and a fingerprint of the key it presents. */
function postBucket(request: FastifyRequest): string {
  const body = request.body as Record<string, unknown> | null | undefined;
  const key = typeof body?.api_key === 'string' ? body.api_key : '';
  return `open311:${request.ip}:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

function fileChangeset(file: string): string {
  try {
    return istanbulDateTime(fs.statSync(file).mtime.toISOString());
  } catch {
    return istanbulDateTime(new Date().toISOString());
  }
}

/**
 * Open311 GeoReport v2 under /open311/v2 (see README.md), plus the admin endpoints for API keys.
 * The Open311 routes are public (an API key authorises POST), live in their own plugin with the
 * spec's error shape, and register a web request through the same `sok.create` applier, routing
 * rules and write lock as a ŞÖK pushed by a desk.
 */
export function registerOpen311Routes(
  app: FastifyInstance,
  deps: AppDeps,
  reference: ReferenceIndex,
  options: Open311Options = {},
): void {
  const { db, notifier, clock, config } = deps;
  const data = options.referenceData ?? readReferenceFile(config.referenceFile);
  const catalogue = buildServiceCatalogue(data);
  const mapping: RequestMapping = { data, catalogue, orgNames: reference.orgNames };
  const changeset = fileChangeset(config.referenceFile);
  const callCentre = data.organisations.find((o) => o.kind === 'call-centre');
  const rateLimit = options.postRateLimit ?? { max: 30, timeWindowMs: 60_000 };
  const getLimit = options.getRateLimit ?? { max: 120, timeWindowMs: 60_000 };
  // The request list reads the database for anyone who asks; the rest is reference data.
  const lookups = {
    public: true,
    rateLimit: { max: getLimit.max, timeWindow: getLimit.timeWindowMs },
  };

  registerApiKeyRoutes(app, deps);

  void app.register(
    async (open311) => {
      await open311.register(formbody);
      open311.setErrorHandler((error, request, reply) => {
        const failure = toOpen311Error(error);
        if (failure.statusCode >= 500) {
          request.log.error({ err: error }, 'open311 request failed');
        } else {
          request.log.info({ statusCode: failure.statusCode }, 'open311 request refused');
        }
        return sendErrors(reply, formatOfRequest(request), failure);
      });
      open311.setNotFoundHandler((request, reply) =>
        sendErrors(
          reply,
          formatOfRequest(request),
          notFound(`Böyle bir kaynak yok: ${request.method} ${request.url.split('?')[0] ?? ''}`),
        ),
      );
      const open = { public: true };

      open311.get<{ Params: { format: string } }>(
        '/discovery.:format',
        { config: open },
        async (request, reply) => {
          const format = formatParam(request.params.format);
          const url = options.publicUrl ?? `${request.protocol}://${request.host}${OPEN311_PREFIX}`;
          const endpoint = {
            specification: GEOREPORT_V2_SPEC,
            url,
            changeset,
            type: 'production',
            formats: ['text/xml', 'application/json'],
          };
          const discovery = {
            changeset,
            contact: `${callCentre?.name ?? 'BİKOM'} — Alo ${callCentre?.publicPhone ?? '153'}`,
            key_service: 'API anahtarları BİKOM sistem yöneticisi tarafından verilir.',
          };
          return sendAs(reply, format, {
            json: { ...discovery, endpoints: [endpoint] },
            xmlRoot: 'discovery',
            xml: {
              ...discovery,
              endpoints: {
                endpoint: [{ ...endpoint, formats: { format: endpoint.formats } }],
              },
            },
          });
        },
      );

      open311.get<{ Params: { format: string } }>(
        '/services.:format',
        { config: open },
        async (request, reply) =>
          sendAs(reply, formatParam(request.params.format), {
            json: catalogue.services,
            xmlRoot: 'services',
            xml: servicesXml(catalogue.services),
          }),
      );

      open311.get<{ Params: { file: string } }>(
        '/services/:file',
        { config: open },
        async (request, reply) => {
          const target = splitFormat(request.params.file);
          if (target === null) throw notFound('Desteklenen biçimler: .xml ve .json.');
          const definition = catalogue.definitions.get(target.id);
          if (definition === undefined) throw notFound(`Bilinmeyen hizmet "${target.id}".`);
          return sendAs(reply, target.format, {
            json: definition,
            xmlRoot: 'service_definition',
            xml: definitionXml(definition),
          });
        },
      );

      open311.post<{ Params: { format: string } }>(
        '/requests.:format',
        {
          config: {
            public: true,
            rateLimit: {
              max: rateLimit.max,
              timeWindow: rateLimit.timeWindowMs,
              // After the body is read, so the bucket can include the key.
              hook: 'preHandler',
              keyGenerator: postBucket,
            },
          },
        },
        async (request, reply) => {
          const format = formatParam(request.params.format);
          const { fields, problems } = readFields(request.body);
          // The key first: without one, nothing about the input is revealed.
          const key = await checkApiKey(db, fields.get('api_key'));
          if (!key.ok) {
            request.log.warn({ reason: key.reason }, 'open311 api key refused');
            throw forbidden(REFUSALS[key.reason]);
          }
          if (problems.length > 0) throw badRequest(problems);
          const now = clock();
          const payload = intakePayload(fields, { data, catalogue }, now);
          const created = await withWriteLock(db, async (trx) => {
            const rules = await loadRoutingRules(trx);
            const outcome = await applyMutation(
              { trx, auth: key.auth, reference, rules, now },
              'sok.create',
              payload,
            );
            if (outcome.status === 'rejected') throw rejection(outcome.error);
            const row = await trx
              .selectFrom('sok')
              .select(['reg_no', 'origin_org', 'target_org'])
              .where('id', '=', payload.id)
              .executeTakeFirstOrThrow();
            return { ...row, seq: outcome.seq };
          });
          await notifier.publish(created.seq);
          const agencyCode = created.target_org ?? created.origin_org;
          const agency = reference.orgNames.get(agencyCode) ?? agencyCode;
          request.log.info(
            { sokId: payload.id, regNo: created.reg_no, apiKeyId: key.keyId },
            'open311 request registered',
          );
          const answer = {
            service_request_id: created.reg_no,
            service_notice:
              `Başvurunuz ${created.reg_no} kayıt numarasıyla alındı. Sorumlu birim: ${agency}. ` +
              `Başvurunuzun durumunu Alo ${callCentre?.publicPhone ?? '153'}'ü arayıp bu kayıt ` +
              'numarasını söyleyerek öğrenebilirsiniz.',
            account_id: null,
          };
          return sendAs(
            reply,
            format,
            { json: [answer], xmlRoot: 'service_requests', xml: { request: [answer] } },
            201,
          );
        },
      );

      open311.get<{ Params: { format: string }; Querystring: Query }>(
        '/requests.:format',
        { config: lookups },
        async (request, reply) => {
          const format = formatParam(request.params.format);
          const query = parseRequestQuery(flatQuery(request.query), catalogue, clock());
          const requests = (await findRequests(db, query)).map((row) =>
            toOpen311Request(row, mapping),
          );
          return sendAs(reply, format, {
            json: requests,
            xmlRoot: 'service_requests',
            xml: requestsXml(requests),
          });
        },
      );

      open311.get<{ Params: { file: string } }>(
        '/requests/:file',
        { config: lookups },
        async (request, reply) => {
          const target = splitFormat(request.params.file);
          if (target === null) throw notFound('Desteklenen biçimler: .xml ve .json.');
          const seq = parseRegNo(target.id);
          const [row] =
            seq === null ? [] : await findRequests(db, { kind: 'ids', regNos: [formatRegNo(seq)] });
          if (row === undefined) throw notFound(`Bilinmeyen başvuru "${target.id}".`);
          const requests = [toOpen311Request(row, mapping)];
          return sendAs(reply, target.format, {
            json: requests,
            xmlRoot: 'service_requests',
            xml: requestsXml(requests),
          });
        },
      );
    },
    { prefix: OPEN311_PREFIX },
  );
}
