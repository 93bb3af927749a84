// PDF signatures (adbe.pkcs7.detached): a placeholder from @signpdf/placeholder-pdf-lib, then a
// detached CMS over the byte ranges made by `openssl cms -sign -binary -md sha256 -nosmimecap`,
// which keeps Chinese certificate names intact (node-forge's signer does not).
import type { PDFDocument } from 'pdf-lib';
import { withWorkdir } from './openssl.js';
import type { SignerMaterial } from './ca.js';

export interface SignatureInfo {
  reason: string;
  name: string;
  location: string;
  contactInfo?: string;
}

/** Adds a signature placeholder to `doc`, saves it and fills in the CMS signature. */
export async function signPdfDocument(doc: PDFDocument, signer: SignerMaterial, info: SignatureInfo, signingTime: Date): Promise<Buffer> {
  const { pdflibAddPlaceholder } = await import('@signpdf/placeholder-pdf-lib');
  const { Signer, SUBFILTER_ADOBE_PKCS7_DETACHED } = await import('@signpdf/utils');
  const signpdfModule = await import('@signpdf/signpdf');
  const signpdf = ((signpdfModule as unknown as { default: { default?: unknown } }).default.default ?? signpdfModule.default) as { sign(pdf: Buffer, signer: unknown, time?: Date): Promise<Buffer> };
  pdflibAddPlaceholder({ pdfDoc: doc, reason: info.reason, contactInfo: info.contactInfo ?? '', name: info.name, location: info.location, signatureLength: 16384, subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED, signingTime });
  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  class OpenSslCmsSigner extends Signer {
    override async sign(data: Buffer): Promise<Buffer> {
      return withWorkdir(async (w) => {
        await w.write('cert.pem', signer.certPem);
        await w.write('key.pem', signer.keyPem);
        await w.write('chain.pem', signer.chainPem || signer.certPem);
        await w.write('data.bin', data);
        await w.openssl('cms', '-sign', '-binary', '-md', 'sha256', '-nosmimecap', '-outform', 'DER', '-signer', 'cert.pem', '-inkey', 'key.pem', '-certfile', 'chain.pem', '-in', 'data.bin', '-out', 'sig.der');
        return w.read('sig.der');
      });
    }
  }
  return signpdf.sign(bytes, new OpenSslCmsSigner(), signingTime);
}
