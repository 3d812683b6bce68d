import { beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../backend/Backend';
import { MAX_KEPT, clearKept, fetchKept } from './offlineCache';

const storage = window.localStorage;
beforeEach(() => storage.clear());

describe('what the phone app keeps for offline use', () => {
  it('answers from the copy when the server cannot be reached, and says so', async () => {
    expect(await fetchKept(storage, 't', 'k', () => Promise.resolve(1))).toEqual({ value: 1, offline: false });
    const unreachable = () => Promise.reject(new BackendError('network'));
    expect(await fetchKept(storage, 't', 'k', unreachable)).toEqual({ value: 1, offline: true });
    await expect(fetchKept(storage, 't', 'other', unreachable)).rejects.toBeInstanceOf(BackendError);
  });

  it('never replaces a refusal by a copy', async () => {
    await fetchKept(storage, 't', 'k', () => Promise.resolve(1));
    const refused = () => Promise.reject(new BackendError('validation', { status: 400 }));
    await expect(fetchKept(storage, 't', 'k', refused)).rejects.toMatchObject({ status: 400 });
  });

  it('keeps the newest answers only, per city, and forgets them on request', async () => {
    for (let i = 0; i <= MAX_KEPT; i += 1) await fetchKept(storage, 't', `k${i}`, () => Promise.resolve(i), i);
    const down = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(fetchKept(storage, 't', 'k0', down)).rejects.toBeInstanceOf(TypeError);
    expect((await fetchKept(storage, 't', `k${MAX_KEPT}`, down)).value).toBe(MAX_KEPT);
    await expect(fetchKept(storage, 'u', `k${MAX_KEPT}`, down)).rejects.toBeInstanceOf(TypeError);
    clearKept(storage, 't');
    await expect(fetchKept(storage, 't', `k${MAX_KEPT}`, down)).rejects.toBeInstanceOf(TypeError);
  });
});
