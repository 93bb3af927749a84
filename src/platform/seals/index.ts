// Seals (电子印章): the platform CA and signing certificates, the seal registry (organization
// seals and personal signatures) with vector seal images, who may use which seal, the usage
// log, and sealPdf — stamp and sign any PDF (adbe.pkcs7.detached).
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/index.js';
import { sealRoutes } from './routes.js';
import './tables.js';

export { sealsMigrations } from './migrations.js';
export { platformCa, signerCertificate, importSignerCertificate, type SignerMaterial } from './ca.js';
export { drawRoundSeal, drawSquareSeal, type RoundSealSpec } from './draw.js';
export { embedCjkFont } from './font.js';
export { signPdfDocument, type SignatureInfo } from './sign-pdf.js';
export { createSeal, getSeal, listSeals, authorizeSeal, revokeSealAuthorization, revokeSeal, sealPdf, sealUsage, type SealInput, type SealView } from './service.js';
export { roundSealSvg, squareSealSvg } from './svg.js';

/** Job definitions and event subscriptions (called once per Core, before routes). */
export function registerSeals(_core: Core): void {}

export const sealsRoutes = (core: Core) => async (app: FastifyInstance) => {
  await app.register(sealRoutes(core));
};
