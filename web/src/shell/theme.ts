// antd theme tokens. Elderly mode (长辈模式): larger text and controls, stronger contrast, no
// subtle greys; shell.css adds the layout simplifications.
import type { ThemeConfig } from 'antd';

const base: ThemeConfig['token'] = {
  // antd's secondary greys (45 % and 25 % black) fail WCAG AA contrast (4.5:1) on white: darker here.
  colorTextSecondary: 'rgba(0, 0, 0, 0.72)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.66)',
  colorTextDescription: 'rgba(0, 0, 0, 0.66)',
  colorTextQuaternary: 'rgba(0, 0, 0, 0.6)',
  colorPrimary: '#0b4f8a',
  colorLink: '#0b4f8a',
  // Hovered links get darker, not lighter (antd's lighter hover falls under 4.5:1 on the grey page).
  colorLinkHover: '#073763',
  colorLinkActive: '#062f55',
  colorPrimaryHover: '#0a4275',
  // antd's red (#ff4d4f) is 3.3:1 on white; field errors and danger buttons must be readable.
  colorError: '#b42318',
  colorErrorText: '#b42318',
  colorErrorHover: '#912018',
  borderRadius: 6,
  fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif',
};

export function themeFor(elderly: boolean): ThemeConfig {
  if (!elderly) return { token: base };
  return {
    token: {
      ...base,
      fontSize: 20,
      fontSizeLG: 22,
      fontSizeHeading1: 36,
      fontSizeHeading2: 30,
      fontSizeHeading3: 26,
      controlHeight: 48,
      controlHeightLG: 56,
      lineHeight: 1.7,
      colorText: '#000000',
      colorTextSecondary: '#1f1f1f',
      colorTextTertiary: '#262626',
      colorTextDescription: '#1f1f1f',
      colorPrimary: '#003a70',
      colorLink: '#003a70',
      colorBorder: '#595959',
    },
  };
}

/** Tag colours with white text at ≥ 4.5:1 (antd's preset light tags are about 3.4:1). */
export const TAG = { ok: '#237804', bad: '#a8071a', info: '#0050b3', neutral: '#434343' } as const;
