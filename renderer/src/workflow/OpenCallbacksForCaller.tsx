import { useEffect, useState } from 'react';
import type { Sok } from '../../../src/domain/sok';
import { call } from '../bridge';
import { useDetail } from '../sok/detail-store';
import { ui } from '../i18n';
import type { CallerPanelProps } from '../phone/caller-extensions';
import { dueText } from './countdown';
import { useWorkflowSettings } from './settings-store';

/**
 * Screen pop: the caller's ŞÖKs with an open callback. When the citizen calls in before being
 * called back, the agent sees it at once and can log the conversation as the callback.
 */
export function OpenCallbacksForCaller({ phone }: CallerPanelProps) {
  const [open, setOpen] = useState<Sok[]>([]);
  const calendar = useWorkflowSettings((s) => s.calendar);
  const show = useDetail((s) => s.open);
  useEffect(() => {
    let live = true;
    call('sok.callerContext', { phone }).then(
      (ctx) => {
        if (live) setOpen(ctx.soks.filter((s) => s.callback?.state === 'open'));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [phone]);
  if (open.length === 0) return null;
  return (
    <div className="caller-callbacks" id="caller-open-callbacks">
      <strong>{ui('caller.openCallbacks')}</strong>
      <ul>
        {open.map((s) => (
          <li key={s.id}>
            <button type="button" className="link" onClick={() => show(s.id)}>
              {s.regNo}
            </button>{' '}
            {s.callback ? dueText(calendar, s.callback.dueAt) : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
