// What a file is, judged from its bytes: file-type sniffs the first bytes; the result must be an
// accepted type, must agree with the name's extension, and must never be an executable or script.
// Plain text cannot be sniffed, so .txt/.csv pass only as valid UTF-8 without NUL bytes.
import type { LocalizedText } from '../../core/validators/index.js';

/** Bytes handed to the sniffer; enough for every magic number file-type knows. */
export const HEAD_BYTES = 4096;

export interface SniffInput {
  /** The first HEAD_BYTES bytes (fewer for a shorter file). */
  head: Buffer;
  /** Path of the complete spooled file, for containers whose type shows further in (zip). */
  path: string;
  /** The whole file is valid UTF-8 without NUL bytes. */
  text: boolean;
}

/** Accepted when the caller states no list: documents and images a government form expects. */
export const DEFAULT_ACCEPT: readonly string[] = Object.freeze([
  'application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
  'text/plain', 'text/csv',
]);

// Never accepted, whatever a request lists: programs, installers, scripts, macro documents,
// and containers whose parts cannot be told apart from installers (CFB: .doc, .xls, .msi alike).
const REFUSED = new Set([
  'application/x-msdownload', 'application/x-elf', 'application/x-mach-binary', 'application/x-sharedlib',
  'application/java-archive', 'application/java-vm', 'application/vnd.android.package-archive', 'application/wasm',
  'application/x-shockwave-flash', 'application/x-google-chrome-extension', 'application/x-xpinstall',
  'application/x-deb', 'application/x-rpm', 'application/x-apple-diskimage', 'application/vnd.ms-cab-compressed',
  'application/x.ms.shortcut', 'application/x.apple.alias', 'application/x-ms-regedit', 'application/x-ft-windows-registry-hive',
  'application/vnd.ms-htmlhelp', 'application/x-cfb', 'application/x-asar', 'application/x-nintendo-nes-rom',
  'application/vnd.ms-excel.sheet.macroenabled.12', 'application/vnd.ms-excel.template.macroenabled.12',
  'application/vnd.ms-word.document.macroenabled.12', 'application/vnd.ms-word.template.macroenabled.12',
  'application/vnd.ms-powerpoint.presentation.macroenabled.12', 'application/vnd.ms-powerpoint.template.macroenabled.12',
  'application/vnd.ms-powerpoint.slideshow.macroenabled.12',
]);

/** Extensions that name the sniffed type, beyond file-type's own `ext`. */
const EXTENSION_ALIASES: Record<string, string[]> = {
  jpg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  tif: ['tif', 'tiff'],
  mp4: ['mp4', 'm4v'],
};

/** The only names under which unsniffable text is taken, and the type it is stored as. */
const TEXT_TYPES: Record<string, string> = { txt: 'text/plain', csv: 'text/csv' };

const ITEM = /^(?:\.[a-z0-9]{1,16}|[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/(?:\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126}))$/;

/** Parses an HTML-style accept list (`application/pdf,image/*,.ofd`); null if an item is malformed. */
export function parseAccept(raw: string | string[]): string[] | null {
  const items = (Array.isArray(raw) ? raw : raw.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (items.length === 0 || items.length > 50 || !items.every((i) => ITEM.test(i))) return null;
  return [...new Set(items)];
}

function accepts(list: readonly string[], mime: string, ext: string): boolean {
  return list.some((a) => (a.startsWith('.') ? a.slice(1) === ext : a.endsWith('/*') ? mime.startsWith(a.slice(0, -1)) : a === mime));
}

export type Verdict = { ok: true; mime: string } | { ok: false; reason: LocalizedText };

const refused = (zh: string, en: string): Verdict => ({ ok: false, reason: { 'zh-CN': zh, en } });

function isOfd(head: Buffer): boolean {
  // An OFD document (GB/T 33190, the format of Chinese e-licences and e-invoices) is a zip whose
  // root entry is OFD.xml; file-type reports it as a plain zip.
  return head.includes('OFD.xml');
}

/** Decides whether the content may be stored under `name` given the accept list. */
export async function judgeType(input: SniffInput, name: string, ext: string, accept: readonly string[]): Promise<Verdict> {
  const { fileTypeFromBuffer, fileTypeFromFile } = await import('file-type');
  let sniffed = await fileTypeFromBuffer(input.head);
  // Office and ODF documents are zips whose kind shows in their entries, which may lie beyond the head.
  if (sniffed?.mime === 'application/zip' && !isOfd(input.head)) sniffed = (await fileTypeFromFile(input.path)) ?? sniffed;
  if (!sniffed) {
    if (!input.text) return refused('无法识别文件类型，请上传 PDF、图片或常见办公文档', 'The file type is not recognised; upload a PDF, an image or a common office document');
    if (input.head.subarray(0, 2).toString('latin1') === '#!') return refused('不接受脚本文件', 'Scripts are not accepted');
    const mime = TEXT_TYPES[ext];
    if (!mime) return refused(`纯文本文件须以 .txt 或 .csv 结尾，不接受 .${ext || '（无扩展名）'}`, `Plain text is accepted only as .txt or .csv, not ${ext ? `.${ext}` : 'a name without an extension'}`);
    if (!accepts(accept, mime, ext)) return refused(`此处不接受 ${mime} 文件`, `${mime} files are not accepted here`);
    return { ok: true, mime };
  }
  let { mime } = sniffed;
  let expected = EXTENSION_ALIASES[sniffed.ext] ?? [sniffed.ext];
  if (mime === 'application/zip' && isOfd(input.head)) {
    mime = 'application/ofd';
    expected = ['ofd'];
  }
  if (REFUSED.has(mime)) return refused(`出于安全原因，不接受此类文件（${sniffed.ext}）`, `Files of this kind (${sniffed.ext}) are never accepted`);
  if (!expected.includes(ext)) {
    return refused(
      `文件内容是 .${expected[0]} 格式，与文件名“${name}”的扩展名不符`,
      `The content is a .${expected[0]} file, which does not match the name "${name}"`,
    );
  }
  if (!accepts(accept, mime, ext)) return refused(`此处不接受 ${mime} 文件`, `${mime} files are not accepted here`);
  return { ok: true, mime };
}
