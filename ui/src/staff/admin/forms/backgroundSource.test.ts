import { describe, expect, it } from 'vitest';
import { backgroundLine, backgroundOf, withBackground } from './backgroundSource';

const source = `id = "tokubetsu"
name = "独自様式"

[page]
size = "A4"
landscape = false

[[elements]]
kind = "text"
x = 10
`;

describe('the background line of a template', () => {
  it('is added at the end of [page], before the elements', () => {
    const out = withBackground(source, { file: 'official.pdf', page: 2 });
    expect(out).toContain('landscape = false\nbackground = { file = "official.pdf", page = 2 }\n\n[[elements]]');
    expect(backgroundOf(out)).toEqual({ file: 'official.pdf', page: 2 });
  });

  it('is replaced with its placement, and read back', () => {
    const once = withBackground(source, { file: 'a.pdf', page: 1 });
    const out = withBackground(once, { file: 'b.pdf', page: 1, x: -1.5, y: 2, w: 212, h: 299 });
    expect(out.match(/background =/g)).toHaveLength(1);
    expect(backgroundOf(out)).toEqual({ file: 'b.pdf', page: 1, x: -1.5, y: 2, w: 212, h: 299 });
  });

  it('is removed, and nothing changes without a [page] table', () => {
    const once = withBackground(source, { file: 'a.pdf', page: 1 });
    expect(withBackground(once, null)).toBe(source);
    expect(withBackground('id = "x"', { file: 'a.pdf', page: 1 })).toBe('id = "x"');
    expect(backgroundOf(source)).toBeNull();
  });

  it('quotes the file name as TOML and leaves out a box value that is not a number', () => {
    expect(backgroundLine({ file: '様式"1".pdf', page: 1, x: Number.NaN })).toBe('background = { file = "様式\\"1\\".pdf", page = 1 }');
  });

  it('does not take a background line of another table', () => {
    expect(backgroundOf('[page]\nsize = "A4"\n[[elements]]\nbackground = { file = "x.pdf" }\n')).toBeNull();
  });
});
