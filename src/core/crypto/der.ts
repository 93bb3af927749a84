// Minimal DER / PEM helpers: just enough ASN.1 to read and write SM2 and Ed25519 keys.
// Not a general ASN.1 library; every reader throws on anything unexpected.

export interface DerNode {
  tag: number;
  /** Offset of the tag byte: `buf.subarray(offset, end)` is the whole TLV. */
  offset: number;
  /** Offset of the value (after tag and length) in the source buffer. */
  start: number;
  /** Offset one past the end of the value. */
  end: number;
  value: Buffer;
}

/** Reads one TLV at `offset`. Only definite lengths up to 4 bytes (DER never needs more). */
export function readDer(buf: Buffer, offset = 0): DerNode {
  if (offset + 2 > buf.length) throw new Error('DER: truncated');
  const tag = buf[offset];
  let len = buf[offset + 1];
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > buf.length) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i];
    if (len < 0x80 || buf[pos] === 0) throw new Error('DER: non-minimal length');
    pos += n;
  }
  if (pos + len > buf.length) throw new Error('DER: truncated value');
  return { tag, offset, start: pos, end: pos + len, value: buf.subarray(pos, pos + len) };
}

/** Reads all TLVs directly inside a constructed node (SEQUENCE, context tag…). */
export function readChildren(node: DerNode, buf: Buffer): DerNode[] {
  const out: DerNode[] = [];
  let pos = node.start;
  while (pos < node.end) {
    const child = readDer(buf, pos);
    out.push(child);
    pos = child.end;
  }
  if (pos !== node.end) throw new Error('DER: children overrun');
  return out;
}

export function encodeLength(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const value = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

/** Encodes a dotted OID (e.g. 1.2.156.10197.1.301) as a DER OBJECT IDENTIFIER. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Extracts the DER body of the first PEM block; returns its label too. */
export function fromPem(pem: string): { label: string; der: Buffer } {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
  if (!m) throw new Error('PEM: no BEGIN/END block');
  const body = m[2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new Error('PEM: invalid base64');
  return { label: m[1], der: Buffer.from(body, 'base64') };
}

export function isPem(s: string): boolean {
  return s.trimStart().startsWith('-----BEGIN ');
}
