import { describe, expect, it } from 'vitest';
import { toggleSmall, withDakuten, withHandakuten } from './KanaKeyboard';

describe('kana keyboard marks', () => {
  it('voice, half-voice and shrink the last character, and undo', () => {
    expect(withDakuten('ヤマタ')).toBe('ヤマダ');
    expect(withDakuten('ヤマダ')).toBe('ヤマタ');
    expect(withDakuten('ウ')).toBe('ヴ');
    expect(withDakuten('パ')).toBe('バ');
    expect(withDakuten('ア')).toBe('ア');
    expect(withHandakuten('ハ')).toBe('パ');
    expect(withHandakuten('バ')).toBe('パ');
    expect(withHandakuten('パ')).toBe('ハ');
    expect(toggleSmall('キヤ')).toBe('キャ');
    expect(toggleSmall('キャ')).toBe('キヤ');
    expect(toggleSmall('ハツ')).toBe('ハッ');
    expect(withDakuten('')).toBe('');
  });
});
