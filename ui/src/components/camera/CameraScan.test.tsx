import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CameraScanButton, FRAME_INTERVAL_MS, type ScanFeedback } from './CameraScan';
import { frameSize, MAX_FRAME_WIDTH } from './qrDecoder';
import { problemOf } from './camera';

// The frames the "camera" shows, as the decoder reads them: one text per frame (null: no code).
const frames: (string | null)[] = [];
vi.mock('./qrDecoder', async (importOriginal) => {
  const real = await importOriginal<typeof import('./qrDecoder')>();
  return {
    ...real,
    grabFrame: () => ({ data: new Uint8ClampedArray(4), width: 1, height: 1 }) as ImageData,
    loadDecoder: () => Promise.resolve(() => (frames.length > 1 ? frames.shift()! : (frames[0] ?? null))),
  };
});

const stop = vi.fn();
function fakeCamera(result: 'ok' | string) {
  const getUserMedia = vi.fn(() =>
    result === 'ok'
      ? Promise.resolve({ getTracks: () => [{ stop }] } as unknown as MediaStream)
      : Promise.reject(new DOMException('refused', result)),
  );
  Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true });
  return getUserMedia;
}

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  frames.length = 0;
  stop.mockClear();
  // jsdom's video never plays: the tests only need `play` to settle.
  HTMLMediaElement.prototype.play = () => Promise.resolve();
});
afterEach(() => {
  vi.useRealTimers();
  Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
});

async function nextFrames(n: number) {
  for (let i = 0; i < n; i++) await act(() => vi.advanceTimersByTimeAsync(FRAME_INTERVAL_MS));
}

describe('CameraScanButton', () => {
  it('is not offered where the page cannot use a camera', () => {
    Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
    render(<CameraScanButton onSymbol={() => Promise.resolve({ done: true })} />);
    expect(screen.queryByTestId('camera-scan')).toBeNull();
  });

  it('hands each new symbol over once, shows what is missing, and closes when the code is complete', async () => {
    fakeCamera('ok');
    frames.push(null, 'MDG1.1.2.x', 'MDG1.1.2.x', 'MDG1.1.2.x', 'MDG1.2.2.y');
    const read: string[] = [];
    const onSymbol = vi.fn(async (text: string): Promise<ScanFeedback> => {
      read.push(text);
      return read.length < 2 ? { done: false, message: 'あと1枚です', progress: true } : { done: true };
    });
    render(<CameraScanButton onSymbol={onSymbol} />);
    fireEvent.click(screen.getByTestId('camera-scan'));
    expect(screen.getByRole('dialog').textContent).toContain('カメラでQRコードを読み取る');
    await waitFor(() => expect(screen.getByTestId('camera-status').dataset.phase).toBe('scanning'));
    await nextFrames(3);
    expect(screen.getByTestId('camera-feedback').textContent).toBe('あと1枚です');
    expect(screen.getByTestId('camera-feedback').getAttribute('role')).toBe('status');
    await nextFrames(3);
    await waitFor(() => expect(screen.queryByTestId('camera-dialog')).toBeNull());
    expect(read).toEqual(['MDG1.1.2.x', 'MDG1.2.2.y']);
    expect(stop).toHaveBeenCalled(); // the camera's light goes off
  });

  it('shows a refused code as an error and keeps looking', async () => {
    fakeCamera('ok');
    frames.push('https://example.com');
    const onSymbol = vi.fn(async (): Promise<ScanFeedback> => ({ done: false, message: 'この窓口のQRコードではありません。', progress: false }));
    render(<CameraScanButton onSymbol={onSymbol} />);
    fireEvent.click(screen.getByTestId('camera-scan'));
    await nextFrames(4);
    expect(screen.getByTestId('camera-feedback').getAttribute('role')).toBe('alert');
    expect(onSymbol).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('camera-dialog')).toBeTruthy();
    fireEvent.click(screen.getByTestId('camera-close'));
    expect(screen.queryByTestId('camera-dialog')).toBeNull();
    expect(stop).toHaveBeenCalled();
  });

  it.each([
    ['NotAllowedError', 'カメラを使う許可がありません'],
    ['NotFoundError', 'カメラが見つかりません'],
    ['NotReadableError', 'ほかのアプリが使っています'],
  ])('says why the camera did not open (%s)', async (name, message) => {
    fakeCamera(name);
    render(<CameraScanButton onSymbol={() => Promise.resolve({ done: true })} />);
    fireEvent.click(screen.getByTestId('camera-scan'));
    await waitFor(() => expect(screen.getByTestId('camera-problem').textContent).toContain(message));
  });
});

describe('camera helpers', () => {
  it('scales wide frames down to the decoded width, keeping their shape', () => {
    expect(frameSize(640, 480)).toEqual({ width: 640, height: 480 });
    expect(frameSize(1600, 900)).toEqual({ width: MAX_FRAME_WIDTH, height: 450 });
  });

  it('maps the browser\'s refusals to what the user is told', () => {
    expect(problemOf(new DOMException('x', 'SecurityError'))).toBe('denied');
    expect(problemOf(new DOMException('x', 'OverconstrainedError'))).toBe('none');
    expect(problemOf(new Error('x'))).toBe('failed');
  });
});
