// The seal image as SVG (for the web app and previews): the same geometry as draw.ts.
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const RED = '#db1414';

export function roundSealSvg(name: string, purpose: string | null, size = 240): string {
  const c = size / 2;
  const r = c * 0.94;
  const chars = Array.from(name);
  const n = chars.length;
  const span = Math.min(215, 60 + n * 14);
  const tr = r * 0.74;
  const fs = Math.min(r * 0.22, ((tr * span * Math.PI) / 180 / Math.max(n, 1)) * 0.9);
  const glyphs = chars.map((ch, i) => {
    const deg = n === 1 ? 90 : 90 + span / 2 - (i * span) / (n - 1);
    const a = (deg * Math.PI) / 180;
    const x = c + tr * Math.cos(a);
    const y = c - tr * Math.sin(a);
    return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${fs.toFixed(1)}" text-anchor="middle" dominant-baseline="central" transform="rotate(${(90 - deg).toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})">${esc(ch)}</text>`;
  }).join('');
  const star = Array.from({ length: 10 }, (_, i) => {
    const a = ((-90 + i * 36) * Math.PI) / 180;
    const rr = i % 2 === 0 ? r * 0.3 : r * 0.3 * 0.382;
    return `${(c + rr * Math.cos(a)).toFixed(1)},${(c + rr * Math.sin(a)).toFixed(1)}`;
  }).join(' ');
  const ps = purpose ? Math.min(r * 0.16, (r * 1.05) / Math.max(Array.from(purpose).length, 1)) : 0;
  const purposeText = purpose ? `<text x="${c}" y="${(c + r * 0.52).toFixed(1)}" font-size="${ps.toFixed(1)}" text-anchor="middle">${esc(purpose)}</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${esc(name)}${purpose ? ` ${esc(purpose)}` : ''}">`
    + `<g fill="${RED}" font-family="'WenQuanYi Micro Hei',sans-serif"><circle cx="${c}" cy="${c}" r="${(r - r * 0.03).toFixed(1)}" fill="none" stroke="${RED}" stroke-width="${(r * 0.055).toFixed(1)}"/>`
    + `<polygon points="${star}"/>${glyphs}${purposeText}</g></svg>`;
}

/** A personal signature seal: the name in a red square (姓名 + 印). */
export function squareSealSvg(name: string, size = 120): string {
  const text = Array.from(name).length <= 3 ? `${name}印` : name;
  const fs = Math.min(size * 0.4, (size * 0.85) / Math.max(Array.from(text).length / 2, 1));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${esc(name)}">`
    + `<rect x="4" y="4" width="${size - 8}" height="${size - 8}" fill="none" stroke="${RED}" stroke-width="6"/>`
    + `<text x="${size / 2}" y="${size / 2}" fill="${RED}" font-size="${fs.toFixed(1)}" text-anchor="middle" dominant-baseline="central" font-family="'WenQuanYi Micro Hei',sans-serif">${esc(text)}</text></svg>`;
}
