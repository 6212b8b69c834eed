import type { EventName, EventPayload } from '../domain/bridge/contract';

export type EventListener = (event: EventName, payload: unknown) => void;

/** Events the client core pushes to every connected renderer. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
