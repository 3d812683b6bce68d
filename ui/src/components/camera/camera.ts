// The terminal's or the staff PC's camera as a QR code reader, through the web platform
// (`getUserMedia`): the same path in the browser and in the desktop app's webview (WebView2; on Linux
// WebKitGTK with media streams switched on by `src-tauri`). Frames are decoded here, in the page; only
// the decoded text goes on, to the same `QrScanner` a keyboard-wedge or serial scanner feeds.
import type { MessageKey } from '../../i18n';

/** Why the camera could not be opened; each has its message (`camera.problem.<reason>`). */
export type CameraProblem = 'unsupported' | 'denied' | 'none' | 'busy' | 'failed';

export class CameraError extends Error {
  constructor(readonly reason: CameraProblem) {
    super(`camera: ${reason}`);
  }
}

/** The message key of a problem. */
export function problemKey(reason: CameraProblem): MessageKey {
  return `camera.problem.${reason}` as MessageKey;
}

/** Whether this page may ask for a camera at all (a secure context with media devices). */
export function cameraSupported(nav: Navigator = navigator): boolean {
  return typeof nav.mediaDevices?.getUserMedia === 'function';
}

/** The `DOMException` name of a failed `getUserMedia` as the problem shown. */
export function problemOf(error: unknown): CameraProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'none';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

/** Opens the camera (the one facing away from the user where there are two), video only. */
export async function openCamera(nav: Navigator = navigator): Promise<MediaStream> {
  if (!cameraSupported(nav)) throw new CameraError('unsupported');
  try {
    return await nav.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (e) {
    throw new CameraError(problemOf(e));
  }
}

/** Stops every track of a stream: the camera's light goes off. */
export function closeCamera(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}
