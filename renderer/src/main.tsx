import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerCallerPanel } from './phone/caller-extensions';
import './styles.css';
import { OpenCallbacksForCaller } from './workflow/OpenCallbacksForCaller';

// The screen pop shows the caller's open callbacks under their earlier ŞÖKs.
registerCallerPanel('callbacks', OpenCallbacksForCaller);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
