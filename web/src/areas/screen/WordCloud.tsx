// 12345 hot words as a word cloud: each word sized by how many orders' titles carry it, most frequent
// first. Like every chart here, the drawing is aria-hidden and a visually-hidden table with the same
// words and counts is what a screen reader reads.
import { useId } from 'react';
import { useI18n } from '../../i18n';

const SIZES = [16, 18, 21, 24, 28, 32];

export function WordCloud({ title, words, countHeader }: { title: string; words: ReadonlyArray<{ word: string; n: number }>; countHeader: string }) {
  const { t, number } = useI18n();
  const id = useId();
  const max = Math.max(1, ...words.map((w) => w.n));
  const min = Math.min(max, ...words.map((w) => w.n));
  const size = (n: number) => SIZES[max === min ? SIZES.length - 1 : Math.round(((n - min) / (max - min)) * (SIZES.length - 1))]!;
  return (
    <figure className="yl-chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} className="yl-chart-title">{title}</figcaption>
      {words.length === 0 && <p className="yl-chart-empty">{t('scr.empty')}</p>}
      <ol className="yl-cloud" aria-hidden="true" data-testid="word-cloud">
        {words.map((w) => (
          <li key={w.word} style={{ fontSize: `${size(w.n)}px` }}>
            {w.word}<span className="yl-cloud-n">{number(w.n)}</span>
          </li>
        ))}
      </ol>
      <div className="yl-visually-hidden">
        <table data-testid="chart-table">
          <caption>{t('scr.chartTable', { title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('scr.hl.word')}</th>
              <th scope="col">{countHeader}</th>
            </tr>
          </thead>
          <tbody>
            {words.map((w) => (
              <tr key={w.word}>
                <th scope="row">{w.word}</th>
                <td>{number(w.n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
