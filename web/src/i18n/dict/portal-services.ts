// 一网通办（办事大厅）的页面：事项搜索、办事指南、申请向导、我的办件、我的评价. Keys start with `svc.`; zh-CN first, en the same keys
// (the type makes a missing key a compile error; i18n.test.ts refuses a key defined twice).
export const zh = {
  'svc.title': '一网通办',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'svc.title': 'Government services pages of the portal',
};
