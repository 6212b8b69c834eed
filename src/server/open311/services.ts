import type { ReferenceData } from '../../domain/reference';
import type { XmlNode } from './format';

/**
 * Open311 services are the leaf topics of the reference data (the ones a ŞÖK can have): the
 * topic code is the service_code, its parent topic the group. Every service takes the same
 * attributes: the district (ilçe, required: it decides the routing), the neighbourhood
 * (mahalle) and the ŞÖK type (tür, default şikayet).
 */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface Open311AttributeValue {
  key: string;
  name: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'singlevaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values?: Open311AttributeValue[];
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: Open311Attribute[];
}

/** The ŞÖK type a web request gets when the form sends no attribute[tur]. */
export const DEFAULT_SOK_TYPE = 'sikayet';

export interface ServiceCatalogue {
  services: readonly Open311Service[];
  /** Service definitions by service_code. */
  definitions: ReadonlyMap<string, Open311ServiceDefinition>;
  /** Codes of topics that group services (not postable). */
  groups: ReadonlySet<string>;
}

export function buildServiceCatalogue(data: ReferenceData): ServiceCatalogue {
  const byCode = new Map(data.topics.map((t) => [t.code, t]));
  const groups = new Set(data.topics.flatMap((t) => (t.parentCode === null ? [] : [t.parentCode])));
  const attributes = serviceAttributes(data);
  const services: Open311Service[] = [];
  const definitions = new Map<string, Open311ServiceDefinition>();
  for (const topic of data.topics) {
    if (groups.has(topic.code)) continue;
    const parent = topic.parentCode === null ? undefined : byCode.get(topic.parentCode);
    const group = parent?.name ?? '';
    services.push({
      service_code: topic.code,
      service_name: topic.name,
      description: group === '' ? topic.name : `${group}: ${topic.name}`,
      metadata: attributes.length > 0,
      type: 'realtime',
      keywords: topic.keywords.join(', '),
      group,
    });
    definitions.set(topic.code, { service_code: topic.code, attributes });
  }
  return { services, definitions, groups };
}

function serviceAttributes(data: ReferenceData): Open311Attribute[] {
  const defaultType = data.sokTypes.find((s) => s.code === DEFAULT_SOK_TYPE);
  return [
    {
      variable: true,
      code: 'ilce',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description:
        'İlçe kodu (key). Gönderilmezse ilçe adı address_string içinde aranır; bulunamazsa istek reddedilir.',
      order: 1,
      description: 'İlçe',
      values: data.districts.map((d) => ({ key: d.code, name: d.name })),
    },
    {
      variable: true,
      code: 'mahalle',
      datatype: 'string',
      required: false,
      datatype_description: 'Mahalle adı, en fazla 120 karakter.',
      order: 2,
      description: 'Mahalle',
    },
    {
      variable: true,
      code: 'tur',
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: `Başvuru türü (key); gönderilmezse ${defaultType?.name ?? DEFAULT_SOK_TYPE}.`,
      order: 3,
      description: 'Başvuru türü',
      values: data.sokTypes.map((s) => ({ key: s.code, name: s.name })),
    },
  ];
}

/** `<services><service>…</service></services>` */
export function servicesXml(services: readonly Open311Service[]): XmlNode {
  return { service: services.map((s) => ({ ...s })) };
}

/** `<service_definition><service_code/><attributes><attribute>…` */
export function definitionXml(definition: Open311ServiceDefinition): XmlNode {
  return {
    service_code: definition.service_code,
    attributes: {
      attribute: definition.attributes.map(({ values, ...rest }) => ({
        ...rest,
        ...(values === undefined ? {} : { values: { value: values.map((v) => ({ ...v })) } }),
      })),
    },
  };
}
