/**
 * A readable, bounded message for anything a handler may throw: an Error, a string, a plain
 * object, null, undefined, a symbol, a BigInt, or an object whose toString itself throws.
 * Never throws, so a failure path that records the message cannot itself fail.
 */
export function errorMessage(err: unknown, max = 2000): string {
  let m: string;
  try {
    if (err instanceof Error) {
      m = err.message || err.name || 'Error';
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof Error && cause.message && !m.includes(cause.message)) m += `: ${cause.message}`;
    } else if (typeof err === 'string') m = err;
    else if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') m = (err as { message: string }).message;
    else if (err === undefined) m = 'undefined was thrown';
    else {
      try {
        m = JSON.stringify(err) ?? String(err);
      } catch {
        m = String(err);
      }
    }
  } catch {
    m = Object.prototype.toString.call(err);
  }
  return m.length > max ? m.slice(0, max) : m;
}
