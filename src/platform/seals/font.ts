// The CJK font for PDFs: Debian's fonts-wqy-microhei (a .ttc; the face is picked by its
// PostScript name). Embedded as a subset (~8 KB per document). Read lazily, once per process.
import fs from 'node:fs/promises';
import type { PDFDocument, PDFFont } from 'pdf-lib';

export const CJK_FONT_FILE = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const FACE = 'WenQuanYiMicroHei';
let bytes: Promise<Buffer> | null = null;

export async function embedCjkFont(doc: PDFDocument): Promise<PDFFont> {
  const fontkit = (await import('@pdf-lib/fontkit')).default;
  // pdf-lib hands fontkit the whole collection; pick the face ourselves (else: no createSubset).
  doc.registerFontkit({ create: (b: Uint8Array) => (fontkit as unknown as { create(b: Uint8Array, name: string): unknown }).create(b, FACE) } as never);
  bytes ??= fs.readFile(CJK_FONT_FILE).catch((e) => {
    bytes = null;
    throw new Error(`CJK font missing (${CJK_FONT_FILE}); install Debian fonts-wqy-microhei: ${(e as Error).message}`);
  });
  return doc.embedFont(await bytes, { subset: true });
}
