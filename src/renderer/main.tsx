import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { startI18n } from './i18n';
import { guardPastesThroughMain } from './paste-guard';

startI18n();
// Before anything renders: no paste or drop reaches a field except through main's decision.
guardPastesThroughMain();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
