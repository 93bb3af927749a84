// Just the part of oidc-provider 9 (which ships no TypeScript declarations) that Yunling uses.
declare module 'oidc-provider' {
  type IncomingMessage = import('node:http').IncomingMessage;
  type ServerResponse = import('node:http').ServerResponse;

  /** What the provider stores through an adapter (one model's JSON document). */
  export interface AdapterPayload {
    [key: string]: unknown;
    grantId?: string;
    userCode?: string;
    uid?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface InteractionPrompt {
    name: 'login' | 'consent' | string;
    reasons: string[];
    details: Record<string, unknown> & {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
  }

  export interface Interaction {
    uid: string;
    jti: string;
    exp: number;
    iat: number;
    returnTo: string;
    prompt: InteractionPrompt;
    params: Record<string, string | undefined>;
    session?: { accountId?: string; uid?: string; cookie?: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
    result?: Record<string, unknown>;
    save(ttl: number): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface Grant {
    jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    getOIDCScope(): string;
    save(ttl?: number): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  /** An opaque access token or client-credentials token as stored. */
  export interface StoredToken {
    jti: string;
    kind: string;
    clientId: string;
    accountId?: string;
    scope?: string;
    iat: number;
    exp: number;
    grantId?: string;
    sessionUid?: string;
    extra?: Record<string, unknown>;
    jkt?: string;
    'x5t#S256'?: string;
    aud?: string | string[];
    isSenderConstrained(): boolean;
  }

  export interface Client {
    clientId: string;
    clientName?: string;
    redirectUris?: string[];
    postLogoutRedirectUris?: string[];
    [key: string]: unknown;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export type KoaContextWithOIDC = any;

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    proxy: boolean;
    keys: unknown;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(fn: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): this;
    on(event: string, listener: (...args: any[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    readonly Client: { find(id: string): Promise<Client | undefined> };
    readonly AccessToken: { find(value: string): Promise<StoredToken | undefined> };
    readonly ClientCredentials: { find(value: string): Promise<StoredToken | undefined> };
    readonly Grant: GrantConstructor;
    readonly Interaction: { find(id: string): Promise<Interaction | undefined> };
  }

  export const errors: Record<string, new (...args: any[]) => Error>;
}
