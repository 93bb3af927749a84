// Money on bills: amounts are integer fen (分) inside, "123.45" strings on the wire and in the
// signed document (never floating point), and the Chinese capital amount (大写金额) written the
// way the payment-settlement rules (《支付结算办法》 附一) describe: 壹…玖, 拾佰仟, 万 亿 sections,
// one 零 for a run of zeros inside the number (left out where the rules make it optional: a zero
// 万 digit before the 千 digit, a zero 元 digit before 角 — the forms of their examples ¥1,680.32 and
// ¥107,000.53), 零 after 元 when 角 is zero but 分 is not, 整 after 元 when there are no 角/分.

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const IN_SECTION = ['', '拾', '佰', '仟'];
const SECTIONS = ['', '万', '亿', '万亿'];

export const AMOUNT_PATTERN = '^(0|[1-9]\\d{0,11})(\\.\\d{1,2})?$';
const AMOUNT_RE = new RegExp(AMOUNT_PATTERN);

/** "120" / "120.5" / "120.50" → 12050n fen; null when not a plain non-negative amount. */
export function parseAmount(text: string): bigint | null {
  if (typeof text !== 'string' || !AMOUNT_RE.test(text)) return null;
  const [yuan, frac = ''] = text.split('.');
  return BigInt(yuan!) * 100n + BigInt((frac + '00').slice(0, 2));
}

/** 12050n → "120.50". */
export function formatAmount(fen: bigint): string {
  const s = fen.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

function integerCapital(yuan: bigint): string {
  if (yuan === 0n) return '';
  const digits = yuan.toString();
  if (digits.length > 16) throw new RangeError('amount too large');
  let out = '';
  let zeros = 0; // length of the run of zeros just read
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    const pos = digits.length - 1 - i;
    if (d === 0) zeros++;
    else {
      // One 零 for a run of zeros — except where the rules make it optional: only the 万/亿 digit
      // was zero and this is the 千 digit right after it (107000 → 壹拾万柒仟).
      if (zeros && out && !(pos % 4 === 3 && zeros === 1)) out += '零';
      zeros = 0;
      out += DIGITS[d]! + IN_SECTION[pos % 4]!;
    }
    if (pos % 4 === 0 && pos > 0) {
      const section = digits.slice(Math.max(0, i - 3), i + 1);
      if (/[1-9]/.test(section)) out += SECTIONS[pos / 4]!;
    }
  }
  return out;
}

/** 12000n → 壹佰贰拾元整; 100005n → 壹仟元零伍分; 50n → 伍角; 0n → 零元整. */
export function rmbCapital(fen: bigint): string {
  if (fen < 0n) throw new RangeError('negative amount');
  if (fen === 0n) return '零元整';
  const yuan = fen / 100n;
  const jiao = Number((fen / 10n) % 10n);
  const f = Number(fen % 10n);
  let out = integerCapital(yuan);
  if (out) out += '元';
  if (jiao === 0 && f === 0) return `${out}整`;
  if (jiao) out += `${DIGITS[jiao]}角`;
  else if (out) out += '零';
  if (f) out += `${DIGITS[f]}分`;
  return out;
}
