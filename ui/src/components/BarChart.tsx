import { BarChart as EBar } from 'echarts/charts';
import { AriaComponent, GridComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([EBar, AriaComponent, GridComponent, TitleComponent, TooltipComponent, SVGRenderer]);

/** One bar: its label and value. */
export interface Bar {
  label: string;
  value: number;
}

/**
 * A bar chart drawn by Apache ECharts as SVG (sharp when printed, readable by the test), with the
 * chart's own accessible description (ECharts' aria) and the numbers also as a table for screen
 * readers and for copying. With `table="visible"` the table stands beside the chart (the admin
 * console's statistics show both; the table is the chart's accessible form there too).
 */
export function BarChart({
  title,
  bars,
  unit,
  width = 560,
  height = 260,
  testId,
  table = 'hidden',
}: {
  title: string;
  bars: readonly Bar[];
  unit: string;
  width?: number;
  height?: number;
  testId?: string;
  table?: 'hidden' | 'visible';
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'svg', width, height });
    chart.setOption({
      animation: false,
      aria: { enabled: true },
      title: { text: title, left: 'left', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 40, bottom: 48 },
      xAxis: { type: 'category', data: bars.map((b) => b.label), axisLabel: { interval: 'auto', rotate: bars.length > 12 ? 45 : 0 } },
      yAxis: { type: 'value', minInterval: 1, name: unit },
      series: [{ type: 'bar', data: bars.map((b) => b.value), itemStyle: { color: '#0031d8' } }],
    });
    return () => chart.dispose();
  }, [title, bars, unit, width, height]);
  return (
    <figure className="bar-chart" data-testid={testId}>
      <div ref={ref} style={{ width, height }} />
      <figcaption className={table === 'visible' ? 'chart-table' : 'visually-hidden'}>
        <table className={table === 'visible' ? 'table' : undefined}>
          <caption>{title}</caption>
          <tbody>
            {bars.map((b) => (
              <tr key={b.label}>
                <th scope="row">{b.label}</th>
                <td>
                  {b.value}
                  {unit}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
