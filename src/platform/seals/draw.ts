// A round red seal drawn as vector shapes straight onto a PDF page (no raster image, sharp at any
// zoom): the outer ring, the organization name on the upper arc, the five-pointed star, and the
// purpose line (e.g. 电子证照专用章) under the star.
// pdf-lib is loaded lazily (it is not needed until a PDF is made), hence the async functions.
import type { PDFFont, PDFPage } from 'pdf-lib';

type PdfLib = typeof import('pdf-lib');
const pdfLib = (): Promise<PdfLib> => import('pdf-lib');
const red = (lib: PdfLib) => lib.rgb(0.86, 0.08, 0.08);

export interface RoundSealSpec {
  /** Centre and radius, in PDF points. */
  x: number;
  y: number;
  radius: number;
  name: string;
  purpose?: string | null;
  /** A code on the lower arc (e.g. the seal's number); optional. */
  code?: string | null;
}

function starPath(r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = (-90 + i * 36) * (Math.PI / 180);
    const rr = i % 2 === 0 ? r : r * 0.382;
    pts.push(`${(rr * Math.cos(a)).toFixed(2)} ${(rr * Math.sin(a)).toFixed(2)}`);
  }
  return `M ${pts.join(' L ')} Z`;
}

/** Places `text` along an arc centred on `midDeg` (90 = top), glyphs upright facing outward (or inward for the bottom arc). */
function arcText(lib: PdfLib, page: PDFPage, font: PDFFont, text: string, cx: number, cy: number, radius: number, midDeg: number, spanDeg: number, size: number, bottom: boolean): void {
  const chars = Array.from(text);
  const n = chars.length;
  chars.forEach((ch, i) => {
    const offset = n === 1 ? 0 : spanDeg / 2 - (i * spanDeg) / (n - 1);
    const theta = ((bottom ? midDeg - offset : midDeg + offset) * Math.PI) / 180;
    const rot = bottom ? theta + Math.PI / 2 : theta - Math.PI / 2;
    const u = { x: Math.cos(rot), y: Math.sin(rot) };
    const v = { x: -Math.sin(rot), y: Math.cos(rot) };
    const w = font.widthOfTextAtSize(ch, size);
    const px = cx + radius * Math.cos(theta) - (w / 2) * u.x - size * 0.35 * v.x;
    const py = cy + radius * Math.sin(theta) - (w / 2) * u.y - size * 0.35 * v.y;
    page.drawText(ch, { x: px, y: py, size, font, color: red(lib), rotate: lib.degrees((rot * 180) / Math.PI) });
  });
}

export async function drawRoundSeal(page: PDFPage, font: PDFFont, s: RoundSealSpec): Promise<void> {
  const lib = await pdfLib();
  const SEAL_RED = red(lib);
  const { x, y, radius: r } = s;
  page.drawCircle({ x, y, size: r, borderColor: SEAL_RED, borderWidth: Math.max(1.5, r * 0.055) });
  page.drawSvgPath(starPath(r * 0.3), { x, y, color: SEAL_RED, borderWidth: 0 });
  const n = Array.from(s.name).length;
  const span = Math.min(215, 60 + n * 14);
  const textRadius = r * 0.74;
  const size = Math.min(r * 0.22, ((textRadius * span * Math.PI) / 180 / Math.max(n, 1)) * 0.9);
  arcText(lib, page, font, s.name, x, y, textRadius, 90, span, size, false);
  if (s.purpose) {
    const ps = Math.min(r * 0.16, (r * 1.05) / Math.max(Array.from(s.purpose).length, 1));
    page.drawText(s.purpose, { x: x - font.widthOfTextAtSize(s.purpose, ps) / 2, y: y - r * 0.52, size: ps, font, color: SEAL_RED });
  }
  if (s.code) arcText(lib, page, font, s.code, x, y, r * 0.84, 270, Math.min(100, Array.from(s.code).length * 6), r * 0.09, true);
}

/** A personal signature seal: the name (plus 印 for short names) in a red square. */
export async function drawSquareSeal(page: PDFPage, font: PDFFont, s: { x: number; y: number; size: number; name: string }): Promise<void> {
  const SEAL_RED = red(await pdfLib());
  const text = Array.from(s.name).length <= 3 ? `${s.name}印` : s.name;
  page.drawRectangle({ x: s.x - s.size / 2, y: s.y - s.size / 2, width: s.size, height: s.size, borderColor: SEAL_RED, borderWidth: s.size * 0.05 });
  const fs = Math.min(s.size * 0.4, (s.size * 0.85) / Math.max(Array.from(text).length, 1) * 1.0);
  page.drawText(text, { x: s.x - font.widthOfTextAtSize(text, fs) / 2, y: s.y - fs * 0.35, size: fs, font, color: SEAL_RED });
}
