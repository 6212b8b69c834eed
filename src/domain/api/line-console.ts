import { LineLiveResponseSchema, LineWaitingResponseSchema } from '../line-console';
import { endpoint } from './endpoint';

/** The call line for people (issue #20 item 6, docs/supervisor.md "Hat"). */
export const lineConsole = {
  /** Supervisors: callers on each line they may see now (masked) and the day's figures. */
  live: endpoint('GET', '/supervisor/line', {
    response: LineLiveResponseSchema,
  }),
  /** Agents: how many callers wait in their organisation's line(s) (the header's badge). */
  waiting: endpoint('GET', '/agents/me/line-waiting', {
    response: LineWaitingResponseSchema,
  }),
};
