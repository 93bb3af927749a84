// GB/T 38540 v4 SES_Signature: built here, parsed by OpenSSL's asn1parse, signatures verified by
// OpenSSL (distid 1234567812345678), and each of the six verification steps failing on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm2PrivateKeyFromPem } from '../../core/crypto/index.js';
import { openSslDir } from '../../core/crypto/test-openssl.js';
import { readChildren, readDer } from '../../core/crypto/der.js';
import { roundSealSvg } from '../seals/svg.js';
import { buildSeal, certFacts, signWithSeal, verifySesSignature, type SealInput } from './ses.js';

const ossl = openSslDir();
afterAll(() => ossl.cleanup());
const DISTID = ['-sigopt', 'distid:1234567812345678'];

interface Party { certDer: Buffer; privateKey: string }
function party(name: string, subject: string, ca?: string, days = 365): Party {
  ossl.run('genpkey', '-algorithm', 'SM2', '-out', `${name}.key`);
  if (!ca) ossl.run('req', '-new', '-x509', '-utf8', '-key', `${name}.key`, '-sm3', ...DISTID, '-subj', subject, '-days', '3650', '-out', `${name}.pem`);
  else {
    ossl.run('req', '-new', '-utf8', '-key', `${name}.key`, '-sm3', ...DISTID, '-subj', subject, '-out', `${name}.csr`);
    ossl.run('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-sm3', ...DISTID, '-vfyopt', 'distid:1234567812345678', '-set_serial', String(Math.floor(Math.random() * 1e9)), '-days', String(days), '-out', `${name}.pem`);
  }
  ossl.run('x509', '-in', `${name}.pem`, '-outform', 'DER', '-out', `${name}.der`);
  return { certDer: ossl.read(`${name}.der`), privateKey: sm2PrivateKeyFromPem(ossl.read(`${name}.key`).toString()).privateKey };
}

describe('GB/T 38540 SES_Signature (SM2/SM3) and its six-step verification', () => {
  let ca: Party, rogueCa: Party, maker: Party, signer: Party, other: Party;
  const content = Buffer.from('<ofd:Signature>…Doc_0/Signs/Sign_0/Signature.xml…</ofd:Signature>');
  const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 10 * 60_000); // signing time: after the certificates made below
  const day = 86_400_000;
  let sealInput: SealInput;
  beforeAll(() => {
    ca = party('ca', '/C=CN/O=云岭政务服务平台/CN=云岭电子印章根证书');
    rogueCa = party('rogue', '/C=CN/O=Rogue/CN=Rogue CA');
    maker = party('maker', '/C=CN/O=云岭政务服务平台/CN=云岭电子印章制作系统', 'ca');
    signer = party('signer', '/C=CN/O=昆明市五华区市场监督管理局/CN=五华区市场监管局电子证照专用章', 'ca');
    other = party('other', '/C=CN/O=另一单位/CN=另一单位公章', 'ca');
    sealInput = {
      vid: 'YUNLING', esID: '53010200000001', type: 1, name: '昆明市五华区市场监督管理局电子证照专用章', certs: [signer.certDer],
      createDate: new Date(now.getTime() - 10 * day), validStart: new Date(now.getTime() - 10 * day), validEnd: new Date(now.getTime() + 365 * day),
      picture: { type: 'svg', data: Buffer.from(roundSealSvg('昆明市五华区市场监督管理局', '电子证照专用章')), widthMm: 40, heightMm: 40 },
      maker,
    };
  });
  const trust = () => ({ trustedIssuers: [ca.certDer] });
  const sign = (over: Partial<SealInput> = {}, time = now, who: Party = signer) => signWithSeal({ seal: buildSeal({ ...sealInput, ...over }), content, signer: who, time, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml' });
  const failed = (r: ReturnType<typeof verifySesSignature>) => r.steps.filter((s) => !s.ok).map((s) => s.step);

  it('builds a SES_Signature that passes all six steps, which OpenSSL parses and whose signatures OpenSSL verifies', () => {
    const ses = sign();
    const r = verifySesSignature(ses, content, trust());
    expect(r.steps.map((s) => [s.step, s.ok])).toEqual([[1, true], [2, true], [3, true], [4, true], [5, true], [6, true]]);
    expect(r).toMatchObject({ valid: true, seal: { esID: '53010200000001', name: '昆明市五华区市场监督管理局电子证照专用章', type: 1 }, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml' });
    ossl.write('ses.der', ses);
    const tree = ossl.run('asn1parse', '-inform', 'DER', '-in', 'ses.der', '-i');
    expect(tree).toContain(':ES');
    expect(tree).toContain('GENERALIZEDTIME');
    expect(tree).toMatch(/OBJECT\s+:SM2-with-SM3|1\.2\.156\.10197\.1\.501/);
    // OpenSSL verifies the signer's signature over DER(TBS_Sign) with the certificate's key, and
    // the maker's over DER(SES_SealInfo) with the maker's.
    const top = readDer(ses);
    const [tbs, , , sig] = readChildren(top, ses);
    ossl.write('tbs.der', ses.subarray(tbs!.offset, tbs!.end));
    ossl.write('tbs.sig', sig!.value.subarray(1));
    ossl.run('x509', '-in', 'signer.pem', '-pubkey', '-noout', '-out', 'signer.pub');
    expect(ossl.run('pkeyutl', '-verify', '-pubin', '-inkey', 'signer.pub', '-rawin', '-in', 'tbs.der', '-sigfile', 'tbs.sig', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678')).toContain('Signature Verified Successfully');
    const [, eseal] = readChildren(tbs!, ses);
    const [info, , , makerSig] = readChildren(eseal!, ses);
    ossl.write('info.der', ses.subarray(info!.offset, info!.end));
    ossl.write('info.sig', makerSig!.value.subarray(1));
    ossl.run('x509', '-in', 'maker.pem', '-pubkey', '-noout', '-out', 'maker.pub');
    expect(ossl.run('pkeyutl', '-verify', '-pubin', '-inkey', 'maker.pub', '-rawin', '-in', 'info.der', '-sigfile', 'info.sig', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678')).toContain('Signature Verified Successfully');
  });

  it('step 1 fails when the protected content changes', () => {
    const r = verifySesSignature(sign(), Buffer.concat([content, Buffer.from(' ')]), trust());
    expect(failed(r)).toEqual([1]);
  });

  it('step 2 fails when TBS_Sign is altered after signing (e.g. the signing time)', () => {
    const ses = Buffer.from(sign());
    const at = ses.lastIndexOf(Buffer.from(`${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`, 'ascii'));
    expect(at).toBeGreaterThan(0);
    ses[at + 13] = ses[at + 13] === 0x30 ? 0x31 : 0x30; // a seconds digit of timeInfo
    expect(failed(verifySesSignature(ses, content, trust()))).toContain(2);
  });

  it('step 3 fails for a seal whose info was changed without the maker, or made by an untrusted maker', () => {
    const forgedSeal = buildSeal(sealInput);
    const i = forgedSeal.indexOf(Buffer.from('53010200000001'));
    forgedSeal[i + 13] = 0x32; // esID …01 → …02, maker's signature now wrong
    const ses = signWithSeal({ seal: forgedSeal, content, signer, time: now, propertyInfo: 'x' });
    expect(failed(verifySesSignature(ses, content, trust()))).toEqual([3]);
    const rogueMaker = party('rmaker', '/C=CN/O=Rogue/CN=Rogue maker', 'rogue');
    expect(failed(verifySesSignature(sign({ maker: rogueMaker }), content, trust()))).toEqual([3]);
  });

  it('step 4 fails when the signing time is outside the seal\'s validity', () => {
    expect(failed(verifySesSignature(sign({ validEnd: new Date(now.getTime() - day) }), content, trust()))).toEqual([4]);
  });

  it('step 5 fails when the signer\'s certificate is not bound to the seal', () => {
    expect(failed(verifySesSignature(sign({}, now, other), content, trust()))).toEqual([5]);
  });

  it('step 6 fails for a revoked, untrusted or expired signer certificate', () => {
    const ses = sign();
    const serial = certFacts(signer.certDer).serialHex;
    expect(failed(verifySesSignature(ses, content, { ...trust(), isRevoked: (s) => s === serial }))).toEqual([6]);
    const stranger = party('stranger', '/C=CN/O=Rogue/CN=Rogue signer', 'rogue');
    expect(failed(verifySesSignature(sign({ certs: [stranger.certDer] }, now, stranger), content, trust()))).toEqual([6]);
    expect(failed(verifySesSignature(sign({}, new Date(now.getTime() + 400 * day)), content, trust()))).toEqual(expect.arrayContaining([6]));
  });

  it('refuses what is not a SES_Signature', () => {
    expect(verifySesSignature(Buffer.from('3003020104', 'hex'), content, trust())).toMatchObject({ valid: false, steps: [{ ok: false }] });
  });
});
