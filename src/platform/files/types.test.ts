import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCEPT, HEAD_BYTES, judgeType, parseAccept } from './types.js';
import { extensionOf } from './names.js';
import { exe, jpeg, ofd, pdf, png, xlsx, zip } from './test-fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-types-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** The verdict for `bytes` uploaded as `name` (as the upload path sees them: head, file, text flag). */
async function judge(bytes: Buffer, name: string, accept: readonly string[] = DEFAULT_ACCEPT) {
  const p = path.join(dir, `f${n++}`);
  fs.writeFileSync(p, bytes);
  let text = !bytes.includes(0);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = false;
  }
  return judgeType({ head: bytes.subarray(0, HEAD_BYTES), path: p, text }, name, extensionOf(name), accept);
}
const mimeOf = async (bytes: Buffer, name: string, accept?: readonly string[]) => {
  const v = await judge(bytes, name, accept);
  return v.ok ? v.mime : `refused: ${v.reason.en}`;
};

describe('judging the type from the content', () => {
  it('accepts real PNG, JPEG, PDF, xlsx and OFD files under their own extensions', async () => {
    expect(await mimeOf(png(), '照片.png')).toBe('image/png');
    expect(await mimeOf(jpeg(), '照片.JPEG')).toBe('image/jpeg');
    expect(await mimeOf(jpeg(), 'scan.jpg')).toBe('image/jpeg');
    expect(await mimeOf(pdf(), '申请表.pdf')).toBe('application/pdf');
    expect(await mimeOf(await xlsx(), '清单.xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(await mimeOf(ofd(), '电子证照.ofd')).toBe('application/ofd');
  });

  it('refuses a Windows executable whatever it is called, even when everything is accepted', async () => {
    for (const name of ['invoice.pdf', 'photo.jpg', 'setup.exe', 'notes.txt']) {
      expect(await mimeOf(exe(), name, ['*/*', 'application/x-msdownload'])).toMatch(/^refused: Files of this kind \(exe\) are never accepted/);
    }
  });

  it('refuses content whose type does not match the extension', async () => {
    expect(await mimeOf(pdf(), 'photo.jpg')).toMatch(/^refused: The content is a \.pdf file, which does not match the name "photo\.jpg"/);
    expect(await mimeOf(png(), 'scan.jpg')).toMatch(/\.png file/);
    expect(await mimeOf(await xlsx(), 'report.docx')).toMatch(/\.xlsx file/);
    expect(await mimeOf(ofd(), 'archive.zip', ['application/zip', 'application/ofd'])).toMatch(/\.ofd file/);
    expect(await mimeOf(pdf(), 'no-extension')).toMatch(/does not match/);
  });

  it('applies the accept list: exact types, type/* wildcards and .ext entries', async () => {
    expect(await mimeOf(png(), 'a.png', ['application/pdf'])).toMatch(/^refused: image\/png files are not accepted here/);
    expect(await mimeOf(png(), 'a.png', ['image/*'])).toBe('image/png');
    expect(await mimeOf(pdf(), 'a.pdf', ['.pdf'])).toBe('application/pdf');
    // A plain zip is not a default type (it could carry anything), but may be asked for.
    const plainZip = zip([['a.txt', 'hello']]);
    expect(await mimeOf(plainZip, 'a.zip')).toMatch(/application\/zip files are not accepted/);
    expect(await mimeOf(plainZip, 'a.zip', ['application/zip'])).toBe('application/zip');
  });

  it('takes unsniffable text only as .txt/.csv, valid UTF-8 without NUL, and only when text is accepted', async () => {
    const csv = Buffer.from('姓名,证件号\n张三,5301\n', 'utf8');
    expect(await mimeOf(csv, '名单.csv')).toBe('text/csv');
    expect(await mimeOf(csv, '名单.txt')).toBe('text/plain');
    expect(await mimeOf(csv, '名单.csv', ['application/pdf'])).toMatch(/text\/csv files are not accepted/);
    expect(await mimeOf(csv, '名单.csv', ['text/*'])).toBe('text/csv');
    expect(await mimeOf(Buffer.from('echo hi', 'utf8'), 'run.sh', ['*/*'])).toMatch(/only as \.txt or \.csv, not \.sh/);
    expect(await mimeOf(Buffer.from('#!/bin/sh\nrm -rf /\n'), 'notes.txt')).toMatch(/Scripts are not accepted/);
    expect(await mimeOf(Buffer.from([0x61, 0x00, 0x62]), 'a.txt')).toMatch(/not recognised/);
    // GBK bytes are not UTF-8.
    expect(await mimeOf(Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), 'a.csv')).toMatch(/not recognised/);
    expect(await mimeOf(Buffer.from('<html><script>alert(1)</script></html>'), 'page.html', ['*/*'])).toMatch(/only as \.txt or \.csv/);
  });
});

describe('parseAccept', () => {
  it('reads an HTML-style accept list, and refuses malformed ones', () => {
    expect(parseAccept(' Application/PDF, image/*,.OFD ,')).toEqual(['application/pdf', 'image/*', '.ofd']);
    expect(parseAccept('pdf')).toBeNull();
    expect(parseAccept('image/')).toBeNull();
    expect(parseAccept('')).toBeNull();
    expect(parseAccept(Array.from({ length: 51 }, (_, i) => `.e${i}`))).toBeNull();
  });
});
