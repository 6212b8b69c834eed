import { z } from 'zod';

/** Messages on the browser host's bridge WebSocket (client → host). */
export const ClientMessageSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  input: z.unknown(),
});

export type ServerMessage = { id: number; result: unknown } | { event: string; payload: unknown };
