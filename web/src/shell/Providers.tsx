// i18n, antd's locale and theme (normal or elderly), the API's language, and auth — all following
// the user's preferences. (antd itself always bundles its English locale, so both load at once.)
import type { ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import { I18nProvider } from '../i18n';
import { setApiLanguage } from '../api/client';
import { AuthProvider } from '../auth/AuthProvider';
import { usePrefs } from './prefs';
import { themeFor } from './theme';

export function Providers({ children }: { children: ReactNode }) {
  const { lang, elderly } = usePrefs();
  setApiLanguage(lang);

  return (
    <I18nProvider lang={lang}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={themeFor(elderly)} button={{ autoInsertSpace: false }}>
        <AuthProvider>{children}</AuthProvider>
      </ConfigProvider>
    </I18nProvider>
  );
}
