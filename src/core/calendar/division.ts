/**
 * Division codes: GB/T 2260 six-digit codes (province `530000`, prefecture
 * `532300`, county `532301`), plus the statistical 9-digit township and 12-digit
 * village codes, which inherit from their county.
 */

const CODE = /^\d{6}(?:\d{3}(?:\d{3})?)?$/;

/**
 * Validate and normalise a division code: zero padding of the statistical forms
 * is dropped (`532301000000` → `532301`, `532301001000` → `532301001`).
 * Throws RangeError naming `what` otherwise.
 */
export function normalizeDivision(code: unknown, what = 'division'): string {
  if (typeof code !== 'string' || !CODE.test(code) || code.startsWith('00')) {
    throw new RangeError(
      `calendar: ${what} must be a GB/T 2260 six-digit code (or a 9/12-digit township/village code), got ${JSON.stringify(code)}`,
    );
  }
  let c = code;
  while (c.length > 6 && c.endsWith('000')) c = c.slice(0, -3);
  return c;
}

/**
 * The rule scopes a division inherits, general → specific:
 * `532301` → [`530000`, `532300`, `532301`]; `532300` → [`530000`, `532300`];
 * `530000` → [`530000`]; `532301001` → [`530000`, `532300`, `532301`, `532301001`].
 */
export function divisionScopes(division: string): string[] {
  const code = normalizeDivision(division);
  const county = code.slice(0, 6);
  const province = `${county.slice(0, 2)}0000`;
  const prefecture = `${county.slice(0, 4)}00`;
  const out = [province];
  if (prefecture !== province) out.push(prefecture);
  if (county !== prefecture) out.push(county);
  if (code.length >= 9) out.push(code.slice(0, 9));
  if (code.length === 12) out.push(code);
  return out;
}
