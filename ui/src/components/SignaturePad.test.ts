import { describe, expect, it } from 'vitest';
import { samples } from './SignaturePad';

describe('signature samples', () => {
  it('keep every coalesced pen sample with its pressure, relative to the pad and the first touch', () => {
    const coalesced = [
      { clientX: 110.26, clientY: 52, pressure: 0.25, timeStamp: 1003 },
      { clientX: 112, clientY: 53.04, pressure: 0.5009765625, timeStamp: 1007 },
    ] as unknown as PointerEvent[];
    const got = samples(
      { clientX: 112, clientY: 53, pressure: 0.5, timeStamp: 1007, getCoalescedEvents: () => coalesced },
      { left: 100, top: 50 },
      1000,
    );
    expect(got).toEqual([
      { x: 10.3, y: 2, t: 3, pressure: 0.25 },
      { x: 12, y: 3, t: 7, pressure: 0.5009765625 },
    ]);
  });

  it('use the event itself where the browser does not coalesce', () => {
    expect(samples({ clientX: 5, clientY: 6, pressure: 0.5, timeStamp: 20 }, { left: 0, top: 0 }, 10)).toEqual([
      { x: 5, y: 6, t: 10, pressure: 0.5 },
    ]);
  });
});

describe('signature samples on a scaled canvas', () => {
  it('are in the capture area’s pixels when CSS shows the canvas smaller', () => {
    expect(
      samples({ clientX: 50, clientY: 20, pressure: 0.5, timeStamp: 0 }, { left: 0, top: 0, width: 500, height: 200 }, 0, {
        width: 1000,
        height: 400,
      }),
    ).toEqual([{ x: 100, y: 40, t: 0, pressure: 0.5 }]);
  });
});
