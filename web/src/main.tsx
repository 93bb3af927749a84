// Entry: preferences → i18n → antd (locale, theme) → auth → routes. Each area is its own chunk.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { PrefsProvider } from './shell/prefs';
import { Providers } from './shell/Providers';
import { App } from './App';
import './shell/shell.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PrefsProvider>
      <BrowserRouter>
        <Providers>
          <App />
        </Providers>
      </BrowserRouter>
    </PrefsProvider>
  </StrictMode>,
);
