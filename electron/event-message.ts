import { isEventName, type EventName } from '../src/domain/bridge/contract';

/** What main sends on IPC_EVENT_CHANNEL: one client-core event. The payload is checked later. */
export interface BridgeEventMessage {
  event: EventName;
  payload: unknown;
}

export function isBridgeEventMessage(value: unknown): value is BridgeEventMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    'event' in value &&
    isEventName(value.event) &&
    'payload' in value
  );
}
