// One chart with its text alternative: the drawing is aria-hidden, and a visually-hidden table with
// the same numbers (caption = the chart's title) is what a screen reader reads. Values are drawn as
// labels too, so the wall shows the numbers, not only the shapes.
import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../../i18n';
import { echarts, type EChartsCoreOption } from './echarts';

export interface Series {
  name: string;
  values: number[];
}

export interface ChartProps {
  title: string;
  kind: 'bar' | 'hbar' | 'line' | 'pie';
  labels: string[];
  series: Series[];
  /** Header of the label column in the table. */
  labelHeader?: string;
  /** The labels as the table says them, when the axis shows a shorter form (e.g. full dates). */
  tableLabels?: string[];
  /** A click on a bar or point (the drill-down); keyboard users have the same choice as buttons beside the chart. */
  onSelect?: (index: number) => void;
}

const COLORS = ['#4fc3f7', '#ffb74d', '#81c784', '#f48fb1', '#ce93d8', '#fff176', '#80cbc4'];
const TEXT = '#e6f0ff';
const AXIS = '#8fa8c8';

function optionOf({ kind, labels, series }: ChartProps): EChartsCoreOption {
  const base = { color: COLORS, animation: false, textStyle: { color: TEXT, fontSize: 14 }, tooltip: { trigger: kind === 'pie' ? 'item' : 'axis' } };
  if (kind === 'pie') {
    const s = series[0] ?? { name: '', values: [] };
    return {
      ...base,
      series: [{
        type: 'pie', name: s.name, radius: ['35%', '65%'], label: { color: TEXT, formatter: '{b}: {c}' },
        data: labels.map((name, i) => ({ name, value: s.values[i] ?? 0 })),
      }],
    };
  }
  const category = { type: 'category', data: labels, axisLabel: { color: TEXT, interval: 0, hideOverlap: true }, axisLine: { lineStyle: { color: AXIS } } };
  const value = { type: 'value', minInterval: 1, axisLabel: { color: TEXT }, splitLine: { lineStyle: { color: '#23406a' } } };
  const horizontal = kind === 'hbar';
  return {
    ...base,
    legend: series.length > 1 ? { textStyle: { color: TEXT }, top: 0 } : undefined,
    grid: { left: 8, right: 24, top: series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: series.map((s) => ({
      type: kind === 'line' ? 'line' : 'bar', name: s.name, data: s.values, barMaxWidth: 48,
      // Many points (thirty days, sixteen prefectures) draw only the values that are not zero, so they stay readable.
      label: { show: true, color: TEXT, position: horizontal ? 'right' : 'top', ...(labels.length > 8 ? { formatter: (p: { value: unknown }) => (p.value ? String(p.value) : '') } : {}) },
    })),
  };
}

export function Chart(props: ChartProps) {
  const { t, number } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const id = useId();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, null, { renderer: 'svg' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(optionOf(props), { notMerge: true });
  });

  // The latest handler without re-binding ECharts' listener on every render.
  const select = useRef(props.onSelect);
  select.current = props.onSelect;
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const onClick = (p: { dataIndex?: number }) => { if (p.dataIndex !== undefined) select.current?.(p.dataIndex); };
    c.on('click', onClick as never);
    return () => { c.off('click', onClick as never); };
  }, []);

  const empty = props.labels.length === 0;
  return (
    <figure className="yl-chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`} className="yl-chart-title">{props.title}</figcaption>
      {empty && <p className="yl-chart-empty">{t('scr.empty')}</p>}
      <div ref={ref} className={props.onSelect ? 'yl-chart-canvas yl-chart-selectable' : 'yl-chart-canvas'} aria-hidden="true" data-testid="chart" style={empty ? { display: 'none' } : undefined} />
      <div className="yl-visually-hidden">
        <table data-testid="chart-table">
          <caption>{t('scr.chartTable', { title: props.title })}</caption>
          <thead>
            <tr>
              <th scope="col">{props.labelHeader ?? t('scr.col.item')}</th>
              {props.series.map((s) => <th key={s.name} scope="col">{s.name}</th>)}
            </tr>
          </thead>
          <tbody>
            {(props.tableLabels ?? props.labels).map((label, i) => (
              <tr key={`${i}-${label}`}>
                <th scope="row">{label}</th>
                {props.series.map((s) => <td key={s.name}>{number(s.values[i] ?? 0)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
