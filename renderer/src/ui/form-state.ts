import { useState } from 'react';
import { NO_ERRORS, withoutField, type FormErrors } from './form-errors';

/**
 * The state every small form here keeps: its values and its errors. Changing a field clears
 * that field's error. `bind('x')` gives a TextField its value, change handler and error.
 */
export function useFormState<V extends Record<string, unknown>>(initial: V) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const change = <K extends keyof V & string>(field: K, value: V[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => withoutField(e, field));
  };
  const set =
    <K extends keyof V & string>(field: K) =>
    (value: V[K]) =>
      change(field, value);
  const bind = <
    K extends { [F in keyof V & string]: V[F] extends string ? F : never }[keyof V & string],
  >(
    field: K,
  ) => ({
    value: values[field] as string,
    onValueChange: (value: string) => change(field, value as V[K]),
    error: errors.fields[field],
  });
  return { values, setValues, errors, setErrors, change, set, bind };
}
