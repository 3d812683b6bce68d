// The counter's calendar day.

/** 2026-11-23 in Japan (the counter's "today"). */
export function todayIso(now: Date = new Date()): string {
  const jst = new Date(now.getTime() + 9 * 3600 * 1000);
  return jst.toISOString().slice(0, 10);
}
