// Saving what the server sent (a CSV, an attached file) as a file in the browser.

/**
 * Offers `text` as a download named `name`. A CSV gets back the byte-order mark that decoding the
 * answer as text dropped (it tells Excel the file is UTF-8).
 */
export function downloadText(text: string, name: string, type: string): void {
  const body = type === 'text/csv' && !text.startsWith('\ufeff') ? `\ufeff${text}` : text;
  downloadBlob(new Blob([body], { type }), name);
}

/** Offers `blob` as a download named `name`. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
