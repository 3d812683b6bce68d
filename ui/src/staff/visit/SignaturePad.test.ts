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
