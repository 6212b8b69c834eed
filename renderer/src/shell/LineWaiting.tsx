import { useEffect, useState } from 'react';
import type { Role } from '../../../src/domain/session';
import { call } from '../bridge';
import { usePhoneSession } from '../phone/session';
import { formatCount, ui } from '../i18n';

/** How often the count is read: a caller joining the line shows within about this. */
const POLL_MS = 2000;

/**
 * "Hatta bekleyen: 3" in the header of those who answer calls: how many callers wait in the line
 * their organisation answers (issue #20). Nothing is shown when the organisation answers no line
 * or the central API cannot be reached (the count would be a guess).
 */
export function LineWaiting({ role }: { role: Role }) {
  const [waiting, setWaiting] = useState<number | null>(null);
  const answers = role === 'agent' || role === 'desk' || role === 'supervisor';

  useEffect(() => {
    if (!answers) return;
    let live = true;
    let reading = false;
    const load = () => {
      if (reading) return;
      reading = true;
      void call('line.waiting', {})
        .then(
          (r) => {
            if (!live) return;
            setWaiting(r.lines.length === 0 ? null : r.waiting);
            // The same read tells the desk when the line set its agent not ready, and why.
            usePhoneSession.getState().lineSetState(r.setByLine);
          },
          () => live && setWaiting(null),
        )
        .finally(() => (reading = false));
    };
    load();
    const poll = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(poll);
    };
  }, [answers]);

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
