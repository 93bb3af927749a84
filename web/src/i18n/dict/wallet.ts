// 我的卡包 — the resident's e-licenses and e-bills in the portal. Keys start with `wal.`; zh-CN
// first, en the same keys (the type makes a missing key a compile error; i18n.test.ts refuses a key
// defined twice).
export const zh = {
  'wal.title': '我的卡包',
};

export const en: Record<keyof typeof zh, string> = {
  'wal.title': 'My wallet',
};
