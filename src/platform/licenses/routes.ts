// License routes: types, issuance, revocation, published keys and public verification. Thin:
// schema, permission, one service call. Wallet routes are in wallet-routes.ts, the page in page.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { actorOf } from '../../core/http/auth.js';
import { AppError, pickLang } from '../../core/http/errors.js';
import { ISSUE, READ, TYPE_MANAGE, licenseNotFound, mayIn, type Caller } from './access.js';
import { issueLicense, revokeLicense, type IssueInput } from './issue.js';
import { publishedKeys } from './keys.js';
import { defineLicenseType, listLicenseTypes, type LicenseTypeInput } from './types.js';
import { verifyLicense, verifyPresented, parseOrThrow } from './verify.js';
import { licenseDocument, licenseView } from './view.js';
import { licensePdf } from './pdf.js';
import { IMPORT_LIMITS, importLicenses, XLSX_TYPE, type ImportTarget } from './import.js';
import { IdentifierParams, IssueBody, License, LicenseType, LicenseTypeBody, LicenseWithDocument, PublishedKey, SignedDocument, tags, Verification } from './schema.js';
import type { LicenseDocument } from './canonical.js';

export const callerOf = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });

const isIdempotencyRace = (e: unknown) => (e as { code?: string; constraint?: string }).code === '23505' && String((e as { constraint?: string }).constraint ?? (e as Error).message).includes('license_idempotency');

/** Issues in its own transaction; a concurrent double submit with the same key returns the first. */
export async function issueOnce(core: Core, caller: Caller, input: IssueInput) {
  try {
    return await core.db.transaction().execute((tx) => issueLicense(core, tx, caller, input));
  } catch (e) {
    if (!input.idempotencyKey || !isIdempotencyRace(e)) throw e;
    return core.db.transaction().execute((tx) => issueLicense(core, tx, caller, input));
  }
}

export const licenseRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/licenses/types', {
    config: { signedIn: true },
    schema: { tags, summary: '证照类型 License types', response: { 200: Type.Object({ items: Type.Array(LicenseType) }) } },
  }, async () => ({ items: await listLicenseTypes(core) }));

  app.post('/api/licenses/types', {
    config: { permission: TYPE_MANAGE },
    schema: { tags, summary: '定义证照类型 Define a license type (immutable once defined)', body: LicenseTypeBody, response: { 201: LicenseType } },
  }, async (req, reply) => reply.code(201).send(await defineLicenseType(core, callerOf(req), req.body as LicenseTypeInput)));

  app.post('/api/licenses', {
    config: { permission: ISSUE },
    schema: { tags, summary: '签发电子证照 Issue (sign) a license; supersedes = issue a new version', body: IssueBody, response: { 201: License } },
  }, async (req, reply) => reply.code(201).send(await issueOnce(core, callerOf(req), req.body as IssueInput)));

  app.addContentTypeParser(['text/csv', XLSX_TYPE], { parseAs: 'buffer', bodyLimit: IMPORT_LIMITS.bytes }, (_req, body, done) => done(null, body));
  app.post('/api/licenses/import', {
    config: { permission: ISSUE },
    schema: {
      tags, summary: '存量证照导入 Bulk import of existing licenses (CSV or .xlsx body; per-row report; all rows or none)',
      querystring: Type.Object({
        typeCode: Type.String({ maxLength: 21 }), issuerCode: Type.String({ maxLength: 18 }), issuerName: Type.String({ minLength: 1, maxLength: 100 }),
        division: Type.String({ format: 'division-code' }), dryRun: Type.Optional(Type.Boolean()),
      }),
      response: { 200: Type.Object({ ok: Type.Boolean(), dryRun: Type.Boolean(), rows: Type.Integer(), created: Type.Integer(), identifiers: Type.Array(Type.String()), errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), code: Type.String(), message: Type.String() })) }) },
    },
  }, async (req) => {
    const q = req.query as ImportTarget & { dryRun?: boolean };
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const format = String(req.headers['content-type'] ?? '').startsWith(XLSX_TYPE) ? 'xlsx' : 'csv';
    return importLicenses(core, callerOf(req), { typeCode: q.typeCode, issuerCode: q.issuerCode, issuerName: q.issuerName, division: q.division }, body, !!q.dryRun, format);
  });

  app.get('/api/licenses/keys', {
    config: { public: true },
    schema: { tags, summary: '颁证单位公钥 Issuers\' published verification keys', querystring: Type.Object({ issuerCode: Type.Optional(Type.String({ maxLength: 18 })) }), response: { 200: Type.Object({ items: Type.Array(PublishedKey) }) } },
  }, async (req) => ({ items: await publishedKeys(core.db, (req.query as { issuerCode?: string }).issuerCode) }));

  app.get('/api/licenses/:identifier/verify', {
    config: { public: true },
    schema: { tags, summary: '核验电子证照 Verify a license (public; holder masked)', params: IdentifierParams, response: { 200: Verification } },
  }, async (req) => verifyLicense(core, (req.params as { identifier: string }).identifier, pickLang(req.headers['accept-language'])));

  app.post('/api/licenses/verify', {
    config: { public: true },
    schema: {
      tags, summary: '核验出示的证照数据 Verify a presented license document and signature (offline copy)',
      body: Type.Object({ document: SignedDocument, signature: Type.String({ minLength: 1, maxLength: 400, description: 'base64' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ signatureValid: Type.Boolean(), registered: Type.Boolean(), matchesRegistry: Type.Boolean(), status: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (req) => {
    const body = req.body as { document: LicenseDocument; signature: string };
    return verifyPresented(core, body.document, Buffer.from(body.signature, 'base64'), pickLang(req.headers['accept-language']));
  });

  app.get('/api/licenses/:identifier', {
    config: { permission: READ },
    schema: { tags, summary: '电子证照详情 One license with its signed document (staff in its division)', params: IdentifierParams, response: { 200: LicenseWithDocument } },
  }, async (req) => {
    const caller = callerOf(req);
    parseOrThrow((req.params as { identifier: string }).identifier, caller.lang);
    const row = await core.db.selectFrom('license').selectAll().where('identifier', '=', (req.params as { identifier: string }).identifier.trim().toUpperCase()).executeTakeFirst();
    if (!row || !mayIn(caller.principal, READ, row.division)) throw licenseNotFound();
    return { ...licenseView(core, row, core.clock.now()), document: licenseDocument(core, row), signature: row.signature.toString('base64') };
  });

  app.get('/api/licenses/:identifier/pdf', {
    config: { signedIn: true },
    schema: { tags, summary: '下载签名 PDF Signed PDF of a license (its holder, or staff in its division)', params: IdentifierParams },
  }, async (req, reply) => {
    const caller = callerOf(req);
    const id = (req.params as { identifier: string }).identifier;
    parseOrThrow(id, caller.lang);
    const pdf = await licensePdf(core, caller, id);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${id.trim().toUpperCase()}.pdf"`).send(pdf);
  });

  app.post('/api/licenses/:identifier/revoke', {
    config: { permission: ISSUE },
    schema: { tags, summary: '吊销/注销电子证照 Revoke a license with a reason', params: IdentifierParams, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: License } },
  }, async (req) => {
    const caller = callerOf(req);
    const id = parseOrThrow((req.params as { identifier: string }).identifier, caller.lang);
    if (!id.ok) throw new AppError('INTERNAL');
    return revokeLicense(core, caller, (req.params as { identifier: string }).identifier.trim().toUpperCase(), (req.body as { reason: string }).reason);
  });
};
