// A short two-tone chime for a new request, made with the Web Audio API (no sound file). Browsers play
// sound only after a user gesture on the page: the queue's 「通知音を有効にする」 box is that gesture.

let context: AudioContext | null = null;

/** Plays the chime; does nothing where the browser has no Web Audio. */
export function chime(): void {
  const Ctor = typeof window !== 'undefined' ? window.AudioContext : undefined;
  if (!Ctor) return;
  context ??= new Ctor();
  const ctx = context;
  [880, 660].forEach((hz, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = hz;
    const start = ctx.currentTime + i * 0.35;
    gain.gain.setValueAtTime(0.2, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.32);
  });
}
