// The published audit checkpoint keys, so that anyone holding an exported log can check it.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../index.js';

export const auditRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/audit/keys', {
    config: { public: true },
    schema: {
      tags: ['审计 audit'],
      summary: '审计检查点公钥 Public keys that sign audit checkpoints',
      response: { 200: Type.Object({ hashAlgorithm: Type.String(), keys: Type.Array(Type.Object({ keyId: Type.String(), algorithm: Type.String(), publicKeyPem: Type.String(), current: Type.Boolean() })) }) },
    },
  }, async () => ({
    hashAlgorithm: core.crypto.hashAlgorithm,
    keys: core.audit.trusted.map((k) => ({ keyId: k.keyId, algorithm: k.algorithm, publicKeyPem: k.publicKeyPem, current: k.keyId === core.audit.signer.keyId })),
  }));
};
