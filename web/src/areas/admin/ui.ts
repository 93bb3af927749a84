// Small shared bits of the admin pages.
import type { CSSProperties } from 'react';

/** Visually hidden, still read by screen readers (live counts, captions). */
export const SR_ONLY: CSSProperties = { position: 'absolute', width: 1, height: 1, padding: 0, margin: -1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', border: 0 };

/** After useDraft saved a form, drops the fields that must never sit in sessionStorage (passwords). */
export function forgetSecrets(draftKey: string, fields: string[]): void {
  try {
    const key = `yl.draft.${draftKey}`;
    const saved = sessionStorage.getItem(key);
    if (!saved) return;
    const v = JSON.parse(saved) as Record<string, unknown>;
    for (const f of fields) delete v[f];
    sessionStorage.setItem(key, JSON.stringify(v));
  } catch {
    /* nothing saved */
  }
}

/** A JSON or YAML text as a value; YAML is loaded only when the text is not JSON. */
export async function parseDefinition(text: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (jsonErr) {
    if (/^\s*[[{]/.test(text)) return { ok: false, message: (jsonErr as Error).message };
    try {
      const { parse } = await import('yaml');
      return { ok: true, value: parse(text) as unknown };
    } catch (yamlErr) {
      return { ok: false, message: (yamlErr as Error).message };
    }
  }
}
