import type { ComponentType } from 'react';

/**
 * Extension point of the screen pop: panels shown under the caller's earlier ŞÖKs while their
 * call rings or is on the line, each given the caller's number in E.164 (or as presented when it
 * is not a valid number). The callback feature registers its "open callbacks for this number"
 * panel here, at start-up:
 *
 *   registerCallerPanel('callbacks', OpenCallbacksForCaller);
 */
export interface CallerPanelProps {
  /** E.164 when the number parses, otherwise the raw number from the exchange. */
  phone: string;
  /** The SIP Call-ID of the call, to link work to it. */
  sipCallId: string;
}

const panels = new Map<string, ComponentType<CallerPanelProps>>();

export function registerCallerPanel(key: string, panel: ComponentType<CallerPanelProps>): void {
  panels.set(key, panel);
}

export function callerPanels(): [string, ComponentType<CallerPanelProps>][] {
  return [...panels.entries()];
}
