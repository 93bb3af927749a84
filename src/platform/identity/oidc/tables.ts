// OIDC tables: the provider's state (oidc_payload), the client registry (oidc_client) and the
// JWT signing keys (oidc_signing_key). Declared here so they are typed where they are defined.
import type { ColumnType, Generated } from 'kysely';

export type ClientKind = 'confidential' | 'public';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OidcPayloadTable {
  model: string;
  id: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
}

export interface OidcClientTable {
  client_id: string;
  name: string;
  secret_enc: Buffer | null;
  /** 'public': no secret (token_endpoint_auth_method=none, PKCE); 'confidential': client_secret_basic. */
  kind: ColumnType<ClientKind, ClientKind | undefined, ClientKind>;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  scopes: string[];
  first_party: boolean;
  permissions: string[];
  division: string;
  disabled: Generated<boolean>;
  disabled_at: Timestamp | null;
  disabled_by: string | null;
  created_at: Timestamp;
  created_by: string;
}

export interface OidcSigningKeyTable {
  kid: string;
  alg: string;
  public_jwk: ColumnType<Record<string, unknown>, string, string>;
  private_jwk_enc: Buffer;
  status: 'current' | 'previous' | 'retired';
  created_at: Timestamp;
  rotated_at: Timestamp | null;
  retired_at: Timestamp | null;
}

declare module '../../../core/db/types.js' {
  interface DB {
    oidc_payload: OidcPayloadTable;
    oidc_client: OidcClientTable;
    oidc_signing_key: OidcSigningKeyTable;
  }
}
