// The document title names the page, then the platform (screen readers announce it first).
import { useEffect } from 'react';
import { useT, type MessageKey } from '../i18n';

export function usePageTitle(key: MessageKey): void {
  const t = useT();
  const title = t(key);
  const app = t('app.name');
  useEffect(() => {
    document.title = title === app ? app : `${title} - ${app}`;
  }, [title, app]);
}
