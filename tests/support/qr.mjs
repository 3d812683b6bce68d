// The verification QR codes printed on a PDF, read as a scanner would: shared by the browser and the
// desktop end-to-end tests. jsQR and pngjs come from the UI's npm packages (installed before either
// suite runs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const require = createRequire(join(ROOT, 'ui/package.json'));
const jsQR = require('jsqr');
const { PNG } = require('pngjs');

/** The text of every QR code on page `pageNo` of a PDF: rendered at 200 dpi (poppler's pdftoppm),
 * made black and white at mid-grey (a certificate's light 地紋 would otherwise confuse jsQR's local
 * thresholds, as a scanner's exposure drops it) and decoded with jsQR, one code after another (each
 * found is blanked out before the next try). */
export function qrCodesOfPdf(pdfPath, pageNo = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-qr-'));
  try {
    const prefix = join(dir, 'page');
    execFileSync('pdftoppm', ['-r', '200', '-png', '-f', String(pageNo), '-l', String(pageNo), '-singlefile', pdfPath, prefix]);
    const png = PNG.sync.read(readFileSync(`${prefix}.png`));
    const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
    for (let i = 0; i < pixels.length; i += 4) {
      const light = 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2] >= 128 ? 255 : 0;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = light;
    }
    const found = [];
    for (let i = 0; i < 8; i += 1) {
      const code = jsQR(pixels, png.width, png.height, { inversionAttempts: 'dontInvert' });
      if (!code) break;
      found.push(code.data);
      // Blank the code out (its bounding box, with a margin) to find the next one.
      const xs = Object.values(code.location).map((p) => p.x);
      const ys = Object.values(code.location).map((p) => p.y);
      const margin = 20;
      const x0 = Math.max(0, Math.floor(Math.min(...xs)) - margin);
      const x1 = Math.min(png.width, Math.ceil(Math.max(...xs)) + margin);
      const y0 = Math.max(0, Math.floor(Math.min(...ys)) - margin);
      const y1 = Math.min(png.height, Math.ceil(Math.max(...ys)) + margin);
      for (let y = y0; y < y1; y += 1) pixels.fill(255, (y * png.width + x0) * 4, (y * png.width + x1) * 4);
    }
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of the QR code in a PNG (a screenshot of a phone's screen), or null when none is found. */
export function qrCodeOfPng(buffer) {
  const png = PNG.sync.read(buffer);
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  return jsQR(pixels, png.width, png.height)?.data ?? null;
}
