import type { RoutePreview } from '../../../src/domain/bridge/contract';
import {
  EMPTY_INTAKE,
  isBlank,
  validateIntake,
  type IntakeErrors,
  type IntakeField,
  type IntakeValues,
} from './values';

/**
 * The intake form's state in one reducer, so every change applies to the latest values: downshift
 * reports a pick from an effect, and the next keystroke may arrive before React re-renders.
 */
export interface IntakeState {
  values: IntakeValues;
  errors: IntakeErrors;
  /** A save was tried: from now on empty fields are checked too. */
  attempted: boolean;
  /** When the restored draft was last changed; null when none was restored. */
  restoredAt: string | null;
  /** What "Temizle" or Alt+Y cleared, for "Geri al"; gone at the next change. */
  cleared: IntakeValues | null;
}

export type IntakeAction =
  | {
      type: 'set';
      field: IntakeField;
      value: IntakeValues[IntakeField];
      suggestion: RoutePreview | null;
    }
  | { type: 'blur'; field: IntakeField; suggestion: RoutePreview | null }
  | { type: 'restore'; values: IntakeValues; at: string }
  /** Filled from elsewhere (a mail from the E-posta queue); what was typed can be taken back. */
  | { type: 'prefill'; values: IntakeValues }
  | { type: 'clear'; keep: boolean }
  | { type: 'undoClear' }
  | { type: 'errors'; errors: IntakeErrors };

export const INITIAL_INTAKE: IntakeState = {
  values: EMPTY_INTAKE,
  errors: {},
  attempted: false,
  restoredAt: null,
  cleared: null,
};

/** Fields whose messages depend on each other: changing one re-checks the rest. */
const LINKED: readonly (readonly IntakeField[])[] = [
  ['citizenPhone', 'citizenEmail', 'preferredContact'],
  ['latitude', 'longitude'],
  ['override', 'targetOrg', 'routeReason'],
];

/** A choice from a list is a finished input: it is checked at once. */
const CHOICES = new Set<IntakeField>([
  'channelCode',
  'typeCode',
  'topicCode',
  'districtCode',
  'targetOrg',
  'preferredContact',
]);

const isEmpty = (value: IntakeValues[IntakeField]) =>
  typeof value === 'string' ? value.trim() === '' : value === false;

export function intakeReducer(state: IntakeState, action: IntakeAction): IntakeState {
  switch (action.type) {
    case 'set': {
      const values = { ...state.values, [action.field]: action.value };
      // Messages go as soon as the input is fixed; linked fields are re-checked with it.
      const all = validateIntake(values, action.suggestion);
      const errors = { ...state.errors };
      const group = LINKED.find((g) => g.includes(action.field)) ?? [action.field];
      for (const f of group) if (state.errors[f] !== undefined) errors[f] = all[f];
      if (CHOICES.has(action.field)) errors[action.field] = all[action.field];
      return { ...state, values, errors, cleared: null };
    }
    case 'blur': {
      // Untouched empty fields are not nagged about until a save is tried.
      if (!state.attempted && isEmpty(state.values[action.field])) return state;
      const all = validateIntake(state.values, action.suggestion);
      // Coordinates come in pairs: leaving one filled says at once that the other is missing.
      const fields: IntakeField[] =
        action.field === 'latitude' || action.field === 'longitude'
          ? ['latitude', 'longitude']
          : [action.field];
      if (fields.every((f) => state.errors[f] === all[f])) return state;
      const errors = { ...state.errors };
      for (const f of fields) errors[f] = all[f];
      return { ...state, errors };
    }
    case 'restore':
      // Whatever the agent already typed wins over an old draft.
      if (!isBlank(state.values)) return state;
      return { ...state, values: action.values, restoredAt: action.at };
    case 'prefill':
      return {
        ...INITIAL_INTAKE,
        values: action.values,
        cleared: isBlank(state.values) ? null : state.values,
      };
    case 'clear':
      return {
        ...INITIAL_INTAKE,
        cleared: action.keep && !isBlank(state.values) ? state.values : null,
      };
    case 'undoClear':
      return state.cleared ? { ...state, values: state.cleared, cleared: null } : state;
    case 'errors': {
      // Errors about the override open it, so the agent sees them.
      const override =
        state.values.override ||
        action.errors.targetOrg !== undefined ||
        action.errors.routeReason !== undefined;
      return {
        ...state,
        errors: action.errors,
        attempted: true,
        values: override === state.values.override ? state.values : { ...state.values, override },
      };
    }
  }
}
