import { create } from 'zustand';
import { Calendar } from '../../../src/domain/calendar/calendar';
import type { WorkflowSettingsWire } from '../../../src/domain/workflow-settings';
import { call } from '../bridge';

/** The callback workflow's settings as the desk last received them, and the calendar built once. */
interface WorkflowSettingsState {
  settings: WorkflowSettingsWire | null;
  calendar: Calendar | null;
  load(): Promise<void>;
}

export const useWorkflowSettings = create<WorkflowSettingsState>((set) => ({
  settings: null,
  calendar: null,
  async load() {
    const settings = await call('workflow.settings', {});
    set({ settings, calendar: new Calendar(settings.calendar) });
  },
}));
