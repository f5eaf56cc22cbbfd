// env first: validates import.meta.env before anything renders.
import '@/shared/lib/env';
import '@/index.css';
import { applyTheme } from '@/shared/theme/theme';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from '@/app/App';

applyTheme();

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
