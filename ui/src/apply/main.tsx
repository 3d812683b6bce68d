import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HttpBackend } from '../backend/http';
import { ApplyApp } from './ApplyApp';
import { registerServiceWorker } from './registerServiceWorker';
import '../styles/app.css';

// The resident's phone app (`/apply/?tenant=<id>`): its own page and bundle (no staff code), so that
// it loads fast on a phone; served by the server or from object storage + CDN next to the API.

const root = document.getElementById('root');
if (!root) throw new Error('apply/index.html has no #root element');
const tenant = new URLSearchParams(window.location.search).get('tenant')?.trim() || 'demo';

registerServiceWorker();
createRoot(root).render(
  <StrictMode>
    <ApplyApp api={new HttpBackend({ storage: null })} tenant={tenant} />
  </StrictMode>,
);
