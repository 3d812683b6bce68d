// The kiosk window's lockdown inside the page (Security II point 14): the browser functions a
// resident could reach with a keyboard or a mouse — reload, print, open, save, find, zoom, view source,
// developer tools, back and forward, the context menu, a dropped file — do nothing in kiosk mode. The
// desktop app also switches WebView2's own browser keys off (src-tauri, Windows); keys that the
// operating system handles (Ctrl+Alt+Del, the Windows key) are the OS lockdown's (installer/README.md 7).

/** Function keys the browser acts on: find (F3), reload (F5), caret browsing (F7), full screen (F11), devtools (F12). */
const FUNCTION_KEYS = new Set(['F1', 'F3', 'F5', 'F7', 'F10', 'F11', 'F12']);
/** With Ctrl (or ⌘): reload, print, open, save, find, history, source, address bar, new window/tab, close, downloads, bookmarks, zoom. */
const CTRL_KEYS = new Set(['r', 'p', 'o', 's', 'f', 'g', 'h', 'u', 'l', 'n', 't', 'w', 'j', 'd', 'k', 'e', '+', '-', '=', '0', ';']);
/** With Ctrl+Shift: devtools (I, J, C), reopen (T), private window (N), delete data (Delete). */
const CTRL_SHIFT_KEYS = new Set(['i', 'j', 'c', 't', 'n', 'delete', 'r', 'p', 'o', 's']);
/** Dedicated browser keys of some keyboards. */
const BROWSER_KEYS = new Set(['BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserSearch', 'BrowserHome', 'BrowserFavorites', 'BrowserStop']);

/** Whether the kiosk swallows this key: a browser function, never typing (letters, digits, arrows, Enter, Backspace stay). */
export function isBrowserShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (FUNCTION_KEYS.has(e.key) || BROWSER_KEYS.has(e.key)) return true;
  if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home')) return true;
  if (e.ctrlKey || e.metaKey) {
    return e.shiftKey ? CTRL_SHIFT_KEYS.has(key.toLowerCase()) || CTRL_KEYS.has(key) : CTRL_KEYS.has(key);
  }
  return false;
}

function swallow(e: Event) {
  e.preventDefault();
  e.stopPropagation();
}

/**
 * Installs the lockdown on `target` (the kiosk's window) and returns the function that removes it.
 * Capturing listeners: nothing in the page sees a swallowed key first.
 */
export function lockDown(target: Window): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (isBrowserShortcut(e)) swallow(e);
  };
  // Mouse buttons 3 and 4 are back and forward.
  const onMouse = (e: MouseEvent) => {
    if (e.button === 3 || e.button === 4) swallow(e);
  };
  const listeners: [string, EventListener][] = [
    ['keydown', onKey as EventListener],
    ['contextmenu', swallow],
    ['mouseup', onMouse as EventListener],
    ['auxclick', onMouse as EventListener],
    ['dragover', swallow],
    ['drop', swallow],
  ];
  for (const [type, listener] of listeners) target.addEventListener(type, listener, { capture: true });
  return () => {
    for (const [type, listener] of listeners) target.removeEventListener(type, listener, { capture: true });
  };
}
