import { describe, expect, it } from 'vitest';
import { todayIso } from './today';

describe('today', () => {
  it('is the day in Japan', () => {
    expect(todayIso(new Date('2026-11-22T15:30:00Z'))).toBe('2026-11-23');
    expect(todayIso(new Date('2026-11-22T14:59:00Z'))).toBe('2026-11-22');
  });
});
