// Production PostgreSQL runs with two roles: the OWNER (DATABASE_OWNER_URL) owns the schema and
// runs migrations; the APPLICATION role (DATABASE_URL) reads and writes data but may only SELECT
// and INSERT the audit tables — so even a compromised application cannot rewrite history, and
// only the owner could disable the append-only triggers (which the signed checkpoints expose).
import { sql, type Kysely } from 'kysely';

export const AUDIT_TABLES = ['audit_log', 'audit_seal', 'audit_checkpoint', 'audit_key'];

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function grantApplicationRole(owner: Kysely<any>, role: string): Promise<void> {
  const r = ident(role);
  await sql.raw(`GRANT USAGE ON SCHEMA public TO ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
    REVOKE UPDATE, DELETE, TRUNCATE ON ${AUDIT_TABLES.join(', ')} FROM ${r};`).execute(owner);
}

export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username || 'postgres');
}
