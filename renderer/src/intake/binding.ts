import type { ChangeEvent } from 'react';
import { errorAria } from '../ui/fields';
import { ui } from '../i18n';
import type { IntakeErrors, IntakeField, IntakeValues } from './values';

/** What each part of the intake form gets: the values, their errors, and how to change them. */
export interface IntakeBinding {
  values: IntakeValues;
  errors: IntakeErrors;
  set<K extends IntakeField>(field: K, value: IntakeValues[K]): void;
  /** Checks one field as the user leaves it. */
  blur(field: IntakeField): void;
}

type TextField = {
  [K in IntakeField]: IntakeValues[K] extends string ? K : never;
}[IntakeField];

export const fieldId = (field: string) => `sok-${field}`;

/** Props for a plain input or textarea bound to a text field. */
export function textProps(b: IntakeBinding, field: TextField) {
  const id = fieldId(field);
  return {
    id,
    name: field,
    value: b.values[field],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      b.set(field, e.target.value as never),
    onBlur: () => b.blur(field),
    ...errorAria(id, b.errors[field]),
  };
}

/** Props for a Combobox bound to a code field. */
export function comboProps(b: IntakeBinding, field: TextField) {
  const id = fieldId(field);
  const error = b.errors[field];
  return {
    id,
    value: b.values[field],
    invalid: Boolean(error),
    describedBy: error ? `${id}-error` : undefined,
    placeholder: ui('form.typeToFilter'),
    onChange: (code: string) => b.set(field, code as never),
    onBlur: () => b.blur(field),
  };
}
