const TERMINAL_KEY = 'madoguchi.terminal-id';

let fallbackId: string | null = null;

function randomId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Id of this browser as a terminal (`web-` + random hex), recorded by the server with every audit
 * record of the session. Kept in localStorage so the same browser keeps the same id.
 */
export function terminalId(): string {
  try {
    const stored = localStorage.getItem(TERMINAL_KEY);
    if (stored && /^[A-Za-z0-9._-]{1,64}$/.test(stored)) return stored;
    const id = `web-${randomId()}`;
    localStorage.setItem(TERMINAL_KEY, id);
    return id;
  } catch {
    fallbackId ??= `web-${randomId()}`; // storage disabled: stable for this page only
    return fallbackId;
  }
}
