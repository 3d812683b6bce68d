import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import type { components } from '../api/schema';
import { t } from '../i18n';
import './SignaturePad.css';

export type Signature = components['schemas']['SignatureWire'];
type Point = components['schemas']['PointWire'];

/**
 * The samples of one pointer event: the coalesced ones where the browser has them (a pen reports
 * many per frame), with the pressure Pointer Events give (0–1; pens report up to 4,096 levels; a mouse
 * or finger 0.5, which the server replaces by a pressure derived from speed).
 */
export function samples(
  e: { clientX: number; clientY: number; pressure: number; timeStamp: number; getCoalescedEvents?: () => PointerEvent[] },
  rect: { left: number; top: number; width?: number; height?: number },
  t0: number,
  /** Size of the capture area, when CSS shows the canvas at another size (`rect`'s). */
  area?: { width: number; height: number },
): Point[] {
  const events = e.getCoalescedEvents?.() ?? [];
  const list = events.length > 0 ? events : [e];
  const sx = area && rect.width ? area.width / rect.width : 1;
  const sy = area && rect.height ? area.height / rect.height : 1;
  return list.map((p) => ({
    x: Math.round((p.clientX - rect.left) * sx * 10) / 10,
    y: Math.round((p.clientY - rect.top) * sy * 10) / 10,
    t: Math.round(p.timeStamp - t0),
    pressure: p.pressure,
  }));
}

/**
 * The resident's signature on a pen tablet or touch screen (道志 j): strokes with pressure. The
 * kiosk shows a larger pad (`width`, `height`) and names its canvas for automation (`canvasTestId`).
 */
export function SignaturePad({
  value,
  onChange,
  width = 480,
  height = 160,
  testId = 'signature-pad',
  canvasTestId,
  className,
}: {
  value: Signature | null | undefined;
  onChange: (s: Signature | null) => void;
  width?: number;
  height?: number;
  testId?: string;
  canvasTestId?: string;
  className?: string;
}) {
  const area = { width, height };
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef<{ strokes: Point[][]; t0: number } | null>(null);

  // Redraw what is stored (after a reload, or when the case is resumed).
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    for (const stroke of value?.strokes ?? []) draw(ctx, stroke);
  }, [value, width, height]);

  function draw(ctx: CanvasRenderingContext2D, stroke: Point[]) {
    ctx.lineCap = 'round';
    for (let i = 1; i < stroke.length; i += 1) {
      const a = stroke[i - 1]!;
      const b = stroke[i]!;
      ctx.lineWidth = 1 + 3 * (b.pressure ?? 0.5);
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
    }
  }

  function down(e: ReactPointerEvent<HTMLCanvasElement>) {
    e.currentTarget.setPointerCapture?.(e.pointerId);
    const t0 = drawing.current?.t0 ?? e.timeStamp;
    const strokes = drawing.current?.strokes ?? value?.strokes.map((s) => [...s]) ?? [];
    strokes.push(samples(e.nativeEvent, e.currentTarget.getBoundingClientRect(), t0, area));
    drawing.current = { strokes, t0 };
  }

  function move(e: ReactPointerEvent<HTMLCanvasElement>) {
    const d = drawing.current;
    const stroke = d?.strokes[d.strokes.length - 1];
    if (!d || !stroke || e.buttons === 0) return;
    stroke.push(...samples(e.nativeEvent, e.currentTarget.getBoundingClientRect(), d.t0, area));
    const ctx = canvas.current?.getContext('2d');
    if (ctx) draw(ctx, stroke.slice(-4));
  }

  function up() {
    const d = drawing.current;
    if (!d) return;
    const strokes = d.strokes.filter((s) => s.length >= 2);
    // A tap draws nothing: no signature rather than an empty one the server would refuse.
    onChange(strokes.length > 0 ? { width, height, strokes } : null);
  }

  return (
    <div className={className ? `signature ${className}` : 'signature'} data-testid={testId}>
      <canvas
        ref={canvas}
        width={width}
        height={height}
        className="signature-canvas"
        aria-label={t('visit.signature.area')}
        data-testid={canvasTestId}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <div className="form-actions">
        <span className="hint">{t('visit.signature.hint')}</span>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            drawing.current = null;
            onChange(null);
          }}
          data-testid="signature-clear"
        >
          {t('visit.signature.clear')}
        </button>
      </div>
    </div>
  );
}
