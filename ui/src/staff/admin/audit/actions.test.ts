import { describe, expect, it } from 'vitest';
import { COMMON_ACTIONS, DISCLOSURE_ACTIONS, actionLabel } from './actions';

describe('audit action labels', () => {
  it('labels the common actions in Japanese and shows other codes as they are', () => {
    expect(actionLabel('login')).toBe('ログイン');
    expect(actionLabel('resident.address_disclosure')).toBe('支援措置の住所の開示（住民）');
    expect(actionLabel('something.new')).toBe('something.new');
  });

  it('offers every labelled action, disclosures included', () => {
    expect(COMMON_ACTIONS).toContain('login');
    for (const a of DISCLOSURE_ACTIONS) expect(COMMON_ACTIONS).toContain(a);
  });
});
