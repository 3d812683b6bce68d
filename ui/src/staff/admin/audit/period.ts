// Dates of the audit screens: today and a week back in Japan (`YYYY-MM-DD`), and a period's check.

/** Today in Japan, `YYYY-MM-DD`. */
export function todayJst(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** `days` days before `day` (`YYYY-MM-DD`). */
export function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Whether `from`..`to` is a period the server takes (both given, in order; it checks the year). */
export function validPeriod(from: string, to: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
}

/** Saves `csv` as a download named `name` (with the BOM that tells spreadsheets it is UTF-8). */
export function saveCsv(csv: string, name: string): void {
  const withBom = csv.startsWith('\ufeff') ? csv : `\ufeff${csv}`;
  const url = URL.createObjectURL(new Blob([withBom], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
