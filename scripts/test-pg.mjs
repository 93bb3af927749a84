#!/usr/bin/env node
// `npm run test:pg`: the whole suite against a real PostgreSQL server and NATS.
// YUNLING_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres) must reach a role that may
// CREATE DATABASE; every test file gets its own database cloned from a migrated template.
import { spawnSync } from 'node:child_process';

const env = {
  ...process.env,
  YUNLING_TEST_PG: process.env.YUNLING_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  YUNLING_TEST_NATS: process.env.YUNLING_TEST_NATS ?? 'nats://127.0.0.1:4222',
};
const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
