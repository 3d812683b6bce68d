import { describe, expect, it } from 'vitest';
import { isUnder, pathFromHash } from './router';

describe('pathFromHash', () => {
  it.each([
    ['', '/'],
    ['#', '/'],
    ['#/', '/'],
    ['#/staff/search', '/staff/search'],
    ['#/staff/search/', '/staff/search'],
    ['#staff', '/staff'],
    ['#/staff?x=1', '/staff'],
  ])('%j → %s', (hash, path) => {
    expect(pathFromHash(hash)).toBe(path);
  });
});

describe('isUnder', () => {
  it('matches the prefix itself and paths below it only', () => {
    expect(isUnder('/staff', '/staff')).toBe(true);
    expect(isUnder('/staff/search', '/staff')).toBe(true);
    expect(isUnder('/staffroom', '/staff')).toBe(false);
  });
});
