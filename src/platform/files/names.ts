// File names: what a client declares is sanitised before it is stored or ever sent back, and it
// goes back out as an RFC 6266 / RFC 5987 Content-Disposition that keeps Chinese names intact.

/** Longest stored name, in characters (well under the 255-byte limit of common file systems for CJK). */
export const NAME_MAX = 120;

// C0/C1 controls, DEL, zero-width and byte-order marks, and the bidi controls that make
// "报告\u202Efdp.exe" display as "报告exe.pdf".
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// Characters Windows refuses in names; a downloaded file must save cleanly there too.
const RESERVED = /[<>:"|?*]/g;
const DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

/** The sanitised name, or null when nothing usable remains. */
export function sanitizeFileName(declared: string): string | null {
  let name = declared.normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(INVISIBLE, '').replace(RESERVED, '_').replace(/\s+/g, ' ');
  // Leading dots would hide the file on Unix; trailing dots and spaces vanish on Windows.
  name = name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (!name) return null;
  const dot = name.lastIndexOf('.');
  let stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  if (DEVICE.test(stem)) stem = `_${stem}`;
  const chars = [...stem];
  const room = NAME_MAX - [...ext].length;
  if (room < 1) return null;
  if (chars.length > room) stem = chars.slice(0, room).join('').trimEnd();
  return stem + ext;
}

/** Lower-case extension without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** RFC 5987 value-chars: percent-encode everything but attr-char. */
function rfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<encoded>` — browsers use
 * filename*, old clients the fallback (non-ASCII characters become _).
 */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${rfc5987(name)}`;
}

/**
 * The name from the `x-file-name` header: URL-encoded UTF-8. Raw UTF-8 bytes (what curl sends
 * for `-H 'x-file-name: 中文.pdf'`) arrive as Latin-1 text and are decoded too. Null if unreadable.
 */
export function decodeHeaderName(raw: string): string | null {
  let text = raw;
  if (/[\u0080-\u00ff]/.test(text)) {
    const bytes = Buffer.from(text, 'latin1');
    const utf8 = bytes.toString('utf8');
    if (Buffer.from(utf8, 'utf8').equals(bytes)) text = utf8;
  }
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
