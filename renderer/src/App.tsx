import { useEffect } from 'react';
import { bridge } from './bridge';
import { ui } from './i18n';
import { SokForm } from './SokForm';
import { SokSearch } from './SokSearch';
import { useApp } from './store';

export function App() {
  const reference = useApp((s) => s.reference);
  const loadError = useApp((s) => s.loadError);
  const loadReference = useApp((s) => s.loadReference);
  const refresh = useApp((s) => s.refresh);

  useEffect(() => {
    if (!bridge) return;
    void loadReference();
    void refresh();
    return bridge.on('sok.changed', () => void refresh());
  }, [loadReference, refresh]);

  if (!bridge || loadError) {
    return (
      <main className="fatal" role="alert">
        {loadError ?? ui('app.noBridge')}
      </main>
    );
  }
  return (
    <div className="app">
      <header className="app-header">
        <h1>{ui('app.title')}</h1>
        <span className="subtitle">{ui('app.subtitle')}</span>
        <span className="shortcuts">{ui('form.shortcuts')}</span>
      </header>
      <main className="workspace">
        {reference ? <SokForm reference={reference} /> : <section className="panel" />}
        <SokSearch reference={reference} />
      </main>
    </div>
  );
}
