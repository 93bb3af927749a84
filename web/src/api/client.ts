// The typed API client: openapi-fetch over the paths generated from the server's OpenAPI document
// (schema.d.ts, `npm run web:api`). Every call carries the bearer token (refreshed when due, and
// once more after a 401) and the user's language; cookies are never sent, so only the token counts.
// `unwrap` turns a problem+json answer into an ApiError.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { accessToken, refreshNow } from '../auth/tokens';
import { ApiError, kindOf, toApiError, type Problem } from './problem';

let language = 'zh-CN';
export const setApiLanguage = (lang: string): void => {
  language = lang;
};

const retries = new WeakMap<Request, Request>();

const auth: Middleware = {
  async onRequest({ request }) {
    request.headers.set('accept-language', language);
    const token = await accessToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    retries.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || !request.headers.has('authorization')) return response;
    // The token may have been revoked or expired in between: refresh once and try again.
    const copy = retries.get(request);
    const fresh = await refreshNow();
    if (!copy || !fresh) return response;
    copy.headers.set('authorization', `Bearer ${fresh.accessToken}`);
    return fetch(copy);
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'omit' });
api.use(auth);

/** The data of a successful answer; an ApiError for a problem, a network failure or a 401. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch (err) {
    throw toApiError(err);
  }
  if (r.response.ok) return r.data as T;
  const problem = (r.error && typeof r.error === 'object' ? r.error : { detail: String(r.error ?? '') }) as Problem;
  throw new ApiError(kindOf(r.response.status), r.response.status, problem);
}
