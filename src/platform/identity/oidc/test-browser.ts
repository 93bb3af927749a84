// Test helper: a tiny browser (cookie jar, manual redirects, form posts) over real HTTP, and an
// app listening on 127.0.0.1 with BASE_URL set to where it listens.
import net from 'node:net';
import { testApp } from '../../../../test/db.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function listeningApp() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await testApp({ env: { BASE_URL: base } });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { ...t, base, issuer: `${base}/oidc` };
}

interface Cookie {
  value: string;
  path: string;
}

export interface Page {
  status: number;
  url: string;
  location: string | null;
  body: string;
  headers: Headers;
}

export class Browser {
  readonly jar = new Map<string, Cookie>();

  constructor(private readonly base: string) {}

  private cookieHeader(url: URL): string {
    if (url.origin !== new URL(this.base).origin) return '';
    const out: string[] = [];
    for (const [name, c] of this.jar) {
      if (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/') out.push(`${name}=${c.value}`);
    }
    return out.join('; ');
  }

  private store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const a of attrs) {
        const [k, v] = a.split('=');
        if (k!.toLowerCase() === 'path' && v) path = v;
        if (k!.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
        if (k!.toLowerCase() === 'expires' && v && new Date(a.slice(8)).getTime() < Date.now()) expired = true;
      }
      void url;
      if (expired) this.jar.delete(name);
      else this.jar.set(name, { value, path });
    }
  }

  /** One request, no redirect following. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    const u = new URL(url, this.base);
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    const cookie = this.cookieHeader(u);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(u, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(u, res);
    const location = res.headers.get('location');
    return { status: res.status, url: u.toString(), location: location ? new URL(location, u).toString() : null, body: await res.text(), headers: res.headers };
  }

  /** Follows redirects within this origin; stops at a page, or at a redirect leaving the origin. */
  async follow(first: Page): Promise<Page> {
    let page = first;
    for (let i = 0; i < 20 && page.location && page.status >= 300 && page.status < 400; i++) {
      if (new URL(page.location).origin !== new URL(this.base).origin) return page;
      page = await this.request(page.location);
    }
    return page;
  }

  async get(url: string): Promise<Page> {
    return this.follow(await this.request(url));
  }

  async post(url: string, form: Record<string, string>): Promise<Page> {
    return this.follow(await this.request(url, { form }));
  }
}

/** The value of a hidden input in a server-rendered page. */
export function hidden(body: string, name: string): string | undefined {
  const m = new RegExp(`<input type="hidden" name="${name.replace(/[.$]/g, '\\$&')}" value="([^"]*)"`).exec(body);
  return m?.[1]?.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
}
