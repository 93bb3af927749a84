// 系统管理与数据大屏的新页面. Keys start with `adm.`; zh-CN first, en the same keys
// (the type makes a missing key a compile error; i18n.test.ts refuses a key defined twice).
export const zh = {
  'adm.title': '系统管理与数据大屏的新页面',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'adm.title': 'New admin and big-screen pages',
};
