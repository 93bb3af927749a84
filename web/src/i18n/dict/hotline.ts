// 12345 热线：话务员台、承办单位、督办视图、我的诉求、智能客服. Keys start with `hl.`; zh-CN first, en the same keys
// (the type makes a missing key a compile error; i18n.test.ts refuses a key defined twice).
export const zh = {
  'hl.title': '12345 热线',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'hl.title': 'The 12345 hotline screens',
};
