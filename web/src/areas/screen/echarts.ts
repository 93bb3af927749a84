// ECharts, tree-shaken: only the chart types and components the screen draws, with the SVG renderer
// (crisp on a wall display, text stays text, smaller than canvas + SVG). Imported only by this area,
// so it lands in the screen chunk and never in the portal's first load.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { echarts };
export type { EChartsCoreOption } from 'echarts/core';
