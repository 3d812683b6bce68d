import { describe, expect, it } from 'vitest';
import { daysBefore, todayJst, validPeriod } from './period';

describe('audit periods', () => {
  it('takes today in Japan and days before it', () => {
    expect(todayJst(new Date('2026-12-06T15:30:00Z'))).toBe('2026-12-07');
    expect(daysBefore('2026-12-07', 6)).toBe('2026-12-01');
    expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
  });

  it('accepts a period in order only', () => {
    expect(validPeriod('2026-12-01', '2026-12-07')).toBe(true);
    expect(validPeriod('2026-12-08', '2026-12-07')).toBe(false);
    expect(validPeriod('', '2026-12-07')).toBe(false);
  });
});
