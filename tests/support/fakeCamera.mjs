// TEST DOUBLE of a camera: pictures written as a Y4M video that Chromium plays as its camera
// (`--use-fake-device-for-media-stream --use-file-for-fake-video-capture=<file>`; the file loops).
// The page under test gets it through the real getUserMedia and decodes it as it would a real
// camera's picture.
import { writeFileSync } from 'node:fs';

/** Chromium's flags for a fake camera showing `y4mPath`, granted without asking. */
export function fakeCameraArgs(y4mPath) {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4mPath}`];
}

/** One RGBA picture (pngjs's `{ width, height, data }`) as the planes of a 4:2:0 frame (BT.601). */
function yuv420(png) {
  const { width: w, height: h, data } = png;
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2));
  const v = Buffer.alloc((w / 2) * (h / 2));
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const i = (row * w + col) * 4;
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      y[row * w + col] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      if (row % 2 === 0 && col % 2 === 0) {
        const c = (row / 2) * (w / 2) + col / 2;
        u[c] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
        v[c] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
      }
    }
  }
  return Buffer.concat([y, u, v]);
}

/**
 * Writes `pictures` (same even width and height) as a 10 frames-per-second Y4M video, each picture
 * held for `framesEach` frames, one after another.
 */
export function writeY4m(path, pictures, framesEach = 10) {
  const { width, height } = pictures[0];
  if (width % 2 || height % 2) throw new Error('Y4M 4:2:0 needs an even width and height');
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const chunks = [header];
  for (const picture of pictures) {
    const frame = yuv420(picture);
    for (let i = 0; i < framesEach; i++) chunks.push(Buffer.from('FRAME\n'), frame);
  }
  writeFileSync(path, Buffer.concat(chunks));
}
