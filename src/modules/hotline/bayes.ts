// Multinomial naive Bayes over text tokens (text.ts#tokens — bigrams until jieba is installed) plus
// the category as a feature. Pure functions: train on labelled documents, rank labels for one.

export interface Model {
  labels: Map<string, { docs: number; tokens: number; counts: Map<string, number> }>;
  vocabulary: Set<string>;
  docs: number;
}

export function train(docs: Array<{ features: string[]; label: string }>): Model {
  const m: Model = { labels: new Map(), vocabulary: new Set(), docs: 0 };
  for (const d of docs) {
    let l = m.labels.get(d.label);
    if (!l) m.labels.set(d.label, (l = { docs: 0, tokens: 0, counts: new Map() }));
    l.docs++;
    m.docs++;
    for (const f of d.features) {
      l.counts.set(f, (l.counts.get(f) ?? 0) + 1);
      l.tokens++;
      m.vocabulary.add(f);
    }
  }
  return m;
}

/** Labels by posterior probability (log-space with Laplace smoothing, normalised to sum 1). */
export function rank(m: Model, features: string[]): Array<{ label: string; probability: number }> {
  if (!m.docs) return [];
  const v = m.vocabulary.size + 1;
  const known = features.filter((f) => m.vocabulary.has(f));
  const logs = [...m.labels].map(([label, l]) => {
    let lp = Math.log(l.docs / m.docs);
    for (const f of known) lp += Math.log(((l.counts.get(f) ?? 0) + 1) / (l.tokens + v));
    return { label, lp };
  });
  const max = Math.max(...logs.map((x) => x.lp));
  const sum = logs.reduce((s, x) => s + Math.exp(x.lp - max), 0);
  return logs.map((x) => ({ label: x.label, probability: Math.exp(x.lp - max) / sum })).sort((a, b) => b.probability - a.probability);
}
