import { DiagnosticsDialog } from './DiagnosticsDialog';
import { NotificationArea } from './NotificationArea';
import { useShellUi } from './shell-ui';
import { UpdatePrompt } from './UpdatePrompt';

/** What the desktop shell puts over any screen: notifications, "Tanı bilgisi", the update. */
export function ShellOverlays() {
  const diagnosticsOpen = useShellUi((s) => s.diagnosticsOpen);
  const openDiagnostics = useShellUi((s) => s.openDiagnostics);
  return (
    <>
      <NotificationArea />
      <UpdatePrompt />
      {diagnosticsOpen ? <DiagnosticsDialog onClose={() => openDiagnostics(false)} /> : null}
    </>
  );
}
