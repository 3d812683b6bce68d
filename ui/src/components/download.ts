// Saving a text the server sent (a CSV) as a file in the browser.

/**
 * Offers `text` as a download named `name`. A CSV gets back the byte-order mark that decoding the
 * answer as text dropped (it tells Excel the file is UTF-8).
 */
export function downloadText(text: string, name: string, type: string): void {
  const body = type === 'text/csv' && !text.startsWith('\ufeff') ? `\ufeff${text}` : text;
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
