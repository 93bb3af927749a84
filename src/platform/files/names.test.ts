import { describe, expect, it } from 'vitest';
import { contentDisposition, decodeHeaderName, extensionOf, NAME_MAX, sanitizeFileName } from './names.js';

describe('sanitizeFileName', () => {
  it('keeps ordinary Chinese and English names as they are', () => {
    expect(sanitizeFileName('营业执照副本（2026）.pdf')).toBe('营业执照副本（2026）.pdf');
    expect(sanitizeFileName('Scan 001.JPG')).toBe('Scan 001.JPG');
  });

  it('drops paths, control and bidi characters, and characters Windows refuses', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\张三\\身份证.jpg')).toBe('身份证.jpg');
    // U+202E would make "报告\u202Efdp.exe" display as "报告exe.pdf".
    expect(sanitizeFileName('报告\u202Efdp.exe')).toBe('报告fdp.exe');
    expect(sanitizeFileName('a\u0000b\r\nc.txt')).toBe('abc.txt');
    expect(sanitizeFileName('what?<>:"|*.pdf')).toBe('what_______.pdf');
    expect(sanitizeFileName('  ..hidden.pdf. . ')).toBe('hidden.pdf');
    expect(sanitizeFileName('CON.txt')).toBe('_CON.txt');
  });

  it('shortens long names but keeps the extension, and refuses names with nothing left', () => {
    const long = sanitizeFileName(`${'很'.repeat(300)}.pdf`)!;
    expect([...long]).toHaveLength(NAME_MAX);
    expect(long.endsWith('.pdf')).toBe(true);
    expect(sanitizeFileName('')).toBeNull();
    expect(sanitizeFileName('/// . ')).toBeNull();
    expect(sanitizeFileName('\u202e\u200b')).toBeNull();
  });

  it('reads the extension in lower case, none for dot-files or names without one', () => {
    expect(extensionOf('a.B.PDF')).toBe('pdf');
    expect(extensionOf('README')).toBe('');
  });
});

describe('Content-Disposition', () => {
  it('carries a Chinese name in filename* (RFC 5987) with an ASCII fallback', () => {
    const name = "申请表(最终版) 'v2'*.pdf";
    const h = contentDisposition('attachment', name);
    expect(h).toBe(`attachment; filename="___(___) 'v2'*.pdf"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    const star = /filename\*=UTF-8''([^;]+)/.exec(h)![1]!;
    expect(star).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    expect(decodeURIComponent(star)).toBe(name);
  });
});

describe('decodeHeaderName', () => {
  it('decodes URL-encoded UTF-8, and raw UTF-8 that arrived as Latin-1', () => {
    expect(decodeHeaderName(encodeURIComponent('身份证 正面.jpg'))).toBe('身份证 正面.jpg');
    expect(decodeHeaderName(Buffer.from('身份证.jpg', 'utf8').toString('latin1'))).toBe('身份证.jpg');
    expect(decodeHeaderName('%E4%B8')).toBeNull();
  });
});
