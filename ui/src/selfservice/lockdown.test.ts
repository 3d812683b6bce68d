import { afterEach, describe, expect, it } from 'vitest';
import { isBrowserShortcut, lockDown } from './lockdown';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('the kiosk lockdown', () => {
  let release: (() => void) | null = null;
  afterEach(() => {
    release?.();
    release = null;
  });

  it('swallows reload, print, open, devtools, navigation and zoom keys', () => {
    for (const k of ['F5', 'F12', 'F11', 'F3', 'BrowserBack']) expect(isBrowserShortcut(key(k)), k).toBe(true);
    for (const k of ['r', 'R', 'p', 'o', 's', 'u', 'l', '+', '-', '0']) {
      expect(isBrowserShortcut(key(k, { ctrlKey: true })), `Ctrl+${k}`).toBe(true);
      expect(isBrowserShortcut(key(k, { metaKey: true })), `⌘${k}`).toBe(true);
    }
    for (const k of ['I', 'J', 'C']) expect(isBrowserShortcut(key(k, { ctrlKey: true, shiftKey: true })), `Ctrl+Shift+${k}`).toBe(true);
    expect(isBrowserShortcut(key('ArrowLeft', { altKey: true }))).toBe(true);
  });

  it('leaves typing alone', () => {
    for (const k of ['a', 'あ', '1', 'Enter', 'Backspace', 'ArrowLeft', 'Tab', ' ']) expect(isBrowserShortcut(key(k)), k).toBe(false);
    expect(isBrowserShortcut(key('A', { shiftKey: true }))).toBe(false);
    expect(isBrowserShortcut(key('a', { ctrlKey: true }))).toBe(false); // select all
  });

  it('prevents the browser’s default for keys, the context menu, back buttons and dropped files, until released', () => {
    release = lockDown(window);
    const reload = new KeyboardEvent('keydown', { key: 'F5', cancelable: true, bubbles: true });
    let seenByPage = false;
    const page = () => (seenByPage = true);
    document.body.addEventListener('keydown', page);
    document.body.dispatchEvent(reload);
    expect(reload.defaultPrevented).toBe(true);
    expect(seenByPage).toBe(false);
    const typing = new KeyboardEvent('keydown', { key: 'a', cancelable: true, bubbles: true });
    document.body.dispatchEvent(typing);
    expect(typing.defaultPrevented).toBe(false);
    expect(seenByPage).toBe(true);
    document.body.removeEventListener('keydown', page);

    const menu = new MouseEvent('contextmenu', { cancelable: true, bubbles: true });
    document.body.dispatchEvent(menu);
    expect(menu.defaultPrevented).toBe(true);
    const back = new MouseEvent('mouseup', { button: 3, cancelable: true, bubbles: true });
    document.body.dispatchEvent(back);
    expect(back.defaultPrevented).toBe(true);
    const drop = new Event('drop', { cancelable: true, bubbles: true });
    document.body.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);

    release();
    release = null;
    const after = new KeyboardEvent('keydown', { key: 'F5', cancelable: true, bubbles: true });
    document.body.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
  });
});
