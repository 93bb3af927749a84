// 工作台的办件详情与办理动作. Keys start with `case.`; zh-CN first, en the same keys
// (the type makes a missing key a compile error; i18n.test.ts refuses a key defined twice).
export const zh = {
  'case.title': '工作台的办件详情与办理动作',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'case.title': 'Workbench case detail and actions',
};
