// 数据大屏（一网统管）的文字. Keys start with `scr.`; zh-CN first, en the same keys
// (the type makes a missing key a compile error; i18n.test.ts refuses a key defined twice).
export const zh = {
  'scr.title': '一网统管',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'scr.title': 'Unified governance',
};
