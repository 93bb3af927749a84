// E-licenses (电子证照): GB/T 36904 identifiers, GB/T 36903 metadata, issuer signatures, public
// verification, holder wallet with authorizations (用证码), signed PDFs.
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/index.js';
import { licenseRoutes } from './routes.js';
import { verifyPageRoutes } from './page.js';
import { walletRoutes } from './wallet-routes.js';
import { billRoutes } from './bills/routes.js';
import { billPageRoutes } from './bills/page.js';
import './tables.js';
import './bills/tables.js';

export { licensesMigrations } from './migrations.js';
export { formatIdentifier, parseIdentifier, mod3736CheckChar, randomSerial, LICENSE_ROOT, type LicenseIdentifierParts } from './identifier.js';
export { issueLicense, checkIssue, revokeLicense, type IssueInput } from './issue.js';
export { importLicenses, parseCsv, type ImportReport, type ImportTarget } from './import.js';
export { licensePdf, renderLicensePdf } from './pdf.js';
export { runLicenseCommand, LicenseUsageError } from './cli.js';
export { defineLicenseType, getLicenseType, listLicenseTypes, type LicenseTypeInput, type LicenseTypeView } from './types.js';
export { verifyLicense, verifyPresented, type VerificationResult } from './verify.js';
export { canonicalize, type LicenseDocument } from './canonical.js';
export { publishedKeys, type PublishedKey } from './keys.js';
export type { LicenseView, EffectiveStatus } from './view.js';
export { fetchWithAuthorization, myLicenses, authorizeUse, type FetchedLicense, type AuthorizationInput } from './wallet.js';
export type { Caller } from './access.js';
export { issueBill, checkBill, type BillInput } from './bills/issue.js';
export { verifyBill, verifyBillDocument, myBills, type BillView, type BillVerification } from './bills/view.js';
export { billPdf, renderBillPdf } from './bills/pdf.js';
export { rmbCapital, parseAmount, formatAmount } from './bills/capital.js';
export type { BillDocument } from './bills/document.js';

/** Job definitions and event subscriptions (called once per Core, before routes). */
export function registerLicenses(_core: Core): void {}

export const licensesRoutes = (core: Core) => async (app: FastifyInstance) => {
  await app.register(licenseRoutes(core));
  await app.register(walletRoutes(core));
  await app.register(verifyPageRoutes(core));
  await app.register(billRoutes(core));
  await app.register(billPageRoutes(core));
};
