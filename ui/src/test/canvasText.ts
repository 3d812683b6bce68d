import { vi } from 'vitest';

/**
 * jsdom has no canvas: ECharts measures its labels' text through a 2D context. For tests that draw
 * charts, a stand-in context that measures every character as 12 px (the SVG drawn is what they read).
 */
export function stubCanvasText(): void {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({
    font: '',
    measureText: (text: string) => ({ width: text.length * 12 }),
  } as unknown as CanvasRenderingContext2D);
}
