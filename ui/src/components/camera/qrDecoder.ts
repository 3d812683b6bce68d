// Decoding a QR code in a camera frame with jsQR, loaded on first use (its own chunk: the apps that
// never open the camera never download it).

/** Reads the text of the QR code in a frame's pixels, or `null` when there is none. */
export type FrameDecoder = (frame: ImageData) => string | null;

let loading: Promise<FrameDecoder> | null = null;

/** The decoder, loaded once. */
export function loadDecoder(): Promise<FrameDecoder> {
  loading ??= import('jsqr').then(({ default: jsQR }) => (frame: ImageData) => {
    // A phone's screen or a printed code: dark modules on a light ground, never inverted.
    const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
    return code && code.data ? code.data : null;
  });
  return loading;
}

/** Widest frame decoded: larger frames are scaled down (a code fills much of the picture anyway). */
export const MAX_FRAME_WIDTH = 800;

/** The frame size for a video of `width` × `height`: at most `MAX_FRAME_WIDTH` wide, same shape. */
export function frameSize(width: number, height: number): { width: number; height: number } {
  if (width <= MAX_FRAME_WIDTH) return { width, height };
  const scale = MAX_FRAME_WIDTH / width;
  return { width: MAX_FRAME_WIDTH, height: Math.round(height * scale) };
}

/** The current picture of a playing video, through `canvas`; `null` before the first frame. */
export function grabFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): ImageData | null {
  if (video.readyState < 2 || video.videoWidth === 0) return null;
  const { width, height } = frameSize(video.videoWidth, video.videoHeight);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(video, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}
