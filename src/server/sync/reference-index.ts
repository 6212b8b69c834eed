import type { ReferenceData } from '../../domain/reference';
import type { RoutingContext } from '../../domain/routing';
import type { ReferenceCheck } from '../../domain/workflow/registration';
import type { WorkflowConfig } from '../config';
import { routingContext } from '../routing/rules';
import {
  CalendarCache,
  DEFAULT_WORKFLOW_CONFIG,
  workflowSettings,
  type WorkflowSettings,
} from '../workflow/settings';

/** Reference codes the server checks pushed changes against. */
export interface ReferenceIndex {
  types: ReadonlySet<string>;
  channels: ReadonlySet<string>;
  /** Leaf topics: the ones a ŞÖK can have. */
  topics: ReadonlySet<string>;
  allTopics: ReadonlySet<string>;
  districts: ReadonlySet<string>;
  orgs: ReadonlySet<string>;
  /** Organisations outside the app (reached by e-mail, docs/mailbox.md). */
  externalOrgs: ReadonlySet<string>;
  orgNames: ReadonlyMap<string, string>;
  /** Public phone lines (BUSKİ 185 …) given to citizens whose request is referred there. */
  orgPhones: ReadonlyMap<string, string>;
  /** Topic names as the citizen reads them (receipts). */
  topicNames: ReadonlyMap<string, string>;
  routing: RoutingContext;
  /** The callback workflow's settings and the working-day calendar in force. */
  workflow: { settings: WorkflowSettings; calendars: CalendarCache };
}

export function indexReference(
  data: ReferenceData,
  workflow: WorkflowConfig = DEFAULT_WORKFLOW_CONFIG,
): ReferenceIndex {
  const settings = workflowSettings(workflow, data);
  const parents = new Set(data.topics.map((x) => x.parentCode).filter((p) => p !== null));
  return {
    types: new Set(data.sokTypes.map((x) => x.code)),
    channels: new Set(data.channels.map((x) => x.code)),
    topics: new Set(data.topics.filter((x) => !parents.has(x.code)).map((x) => x.code)),
    allTopics: new Set(data.topics.map((x) => x.code)),
    districts: new Set(data.districts.map((x) => x.code)),
    orgs: new Set(data.organisations.map((x) => x.code)),
    externalOrgs: new Set(data.organisations.filter((x) => x.external === true).map((x) => x.code)),
    orgNames: new Map(data.organisations.map((x) => [x.code, x.name])),
    orgPhones: new Map(
      data.organisations.flatMap((x) => (x.publicPhone ? [[x.code, x.publicPhone] as const] : [])),
    ),
    topicNames: new Map(data.topics.map((x) => [x.code, x.name])),
    routing: routingContext(data),
    workflow: { settings, calendars: new CalendarCache(settings) },
  };
}

/** The index as the domain's commands ask it which codes exist. */
export function referenceCheck(reference: ReferenceIndex): ReferenceCheck {
  return {
    type: (code) => reference.types.has(code),
    channel: (code) => reference.channels.has(code),
    topic: (code) => reference.topics.has(code),
    district: (code) => reference.districts.has(code),
    org: (code) => reference.orgs.has(code),
  };
}
