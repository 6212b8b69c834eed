import { useEffect } from 'react';
import type { Role } from '../../../src/domain/session';
import { call } from '../bridge';
import { usePhoneSession } from '../phone/session';
import { formatCount, ui } from '../i18n';
import { usePolledRead } from '../ui/use-polled-read';

/** How often the count is read: a caller joining the line shows within about this. */
const POLL_MS = 2000;

/**
 * "Hatta bekleyen: 3" in the header of those who answer calls: how many callers wait in the line
 * their organisation answers (issue #20). Nothing is shown when the organisation answers no line
 * or the central API cannot be reached (the count would be a guess).
 */
export function LineWaiting({ role }: { role: Role }) {
  const answers = role === 'agent' || role === 'desk' || role === 'supervisor';
  const { value, error } = usePolledRead(() => call('line.waiting', {}), POLL_MS, answers);
  // The same read tells the desk when the line set its agent not ready, and why.
  useEffect(() => {
    if (value) usePhoneSession.getState().lineSetState(value.setByLine);
  }, [value]);
  const waiting =
    value === null || error !== null || value.lines.length === 0 ? null : value.waiting;

  if (waiting === null) return null;
  return (
    <span
      className={waiting > 0 ? 'line-waiting busy' : 'line-waiting'}
      id="line-waiting"
      role="status"
      data-count={waiting}
    >
      {ui('header.lineWaiting', { count: formatCount(waiting) })}
    </span>
  );
}
