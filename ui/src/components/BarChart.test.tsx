import { render } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { stubCanvasText } from '../test/canvasText';
import { BarChart } from './BarChart';

beforeEach(stubCanvasText);

describe('BarChart', () => {
  it('draws one SVG bar per value with ECharts, and lists the numbers for screen readers', () => {
    const { getByTestId } = render(
      <BarChart
        title="日別の発行数"
        unit="通"
        testId="chart"
        bars={[
          { label: '12月1日', value: 3 },
          { label: '12月2日', value: 0 },
          { label: '12月3日', value: 7 },
        ]}
      />,
    );
    const figure = getByTestId('chart');
    const svg = figure.querySelector('svg');
    expect(svg).not.toBeNull();
    expect(svg?.textContent).toContain('日別の発行数');
    // Bars are paths in the series' colour; a zero bar has no height.
    const bars = [...(svg?.querySelectorAll('path') ?? [])].filter((p) => p.getAttribute('fill') === '#0031d8');
    expect(bars.length).toBe(3);
    expect(figure.querySelector('table')?.textContent).toContain('12月3日7通');
  });
});
