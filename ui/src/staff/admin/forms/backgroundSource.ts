// The background line of a template's `[page]` table (`background = { file = "…", page = 1, x, y, w, h }`,
// forms/README.md), read from and written into the TOML source the editor holds: the 背景のPDF panel
// sets it without the admin typing TOML. Pure, no I/O.

/** Where a background page is placed: mm from the top-left corner (absent: the whole page). */
export interface BackgroundPlacement {
  file: string;
  page: number;
  x?: number;
  y?: number;
  w?: number;
  h?: number;
}

const BOX = ['x', 'y', 'w', 'h'] as const;

/** The `[page]` table of `lines`: its header's index and the index after its last line. */
function pageTable(lines: readonly string[]): [number, number] | null {
  const start = lines.findIndex((l) => l.trim() === '[page]');
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && !lines[end]!.trim().startsWith('[')) end++;
  return [start, end];
}

const isBackgroundLine = (l: string) => /^\s*background\s*=/.test(l);

/** The background the source names, or null (none, or a line this reader does not understand). */
export function backgroundOf(source: string): BackgroundPlacement | null {
  const lines = source.split('\n');
  const table = pageTable(lines);
  if (!table) return null;
  const line = lines.slice(table[0] + 1, table[1]).find(isBackgroundLine);
  const file = line?.match(/file\s*=\s*"([^"]*)"/)?.[1];
  if (!line || file === undefined) return null;
  const num = (key: string) => {
    const m = line.match(new RegExp(`\\b${key}\\s*=\\s*(-?[0-9.]+)`));
    return m ? Number(m[1]) : undefined;
  };
  const placement: BackgroundPlacement = { file, page: num('page') ?? 1 };
  for (const k of BOX) {
    const v = num(k);
    if (v !== undefined) placement[k] = v;
  }
  return placement;
}

/** The TOML line for a placement. */
export function backgroundLine(b: BackgroundPlacement): string {
  const parts = [`file = ${JSON.stringify(b.file)}`, `page = ${b.page}`];
  for (const k of BOX) {
    const v = b[k];
    if (v !== undefined && Number.isFinite(v)) parts.push(`${k} = ${v}`);
  }
  return `background = { ${parts.join(', ')} }`;
}

/**
 * `source` with its background set to `b` (the line replaced, or added at the end of `[page]`), or
 * removed when `b` is null. A source without a `[page]` table is returned as it is.
 */
export function withBackground(source: string, b: BackgroundPlacement | null): string {
  const lines = source.split('\n');
  const table = pageTable(lines);
  if (!table) return source;
  const [start, end] = table;
  const at = lines.slice(start + 1, end).findIndex(isBackgroundLine);
  if (at >= 0) {
    if (b) lines[start + 1 + at] = backgroundLine(b);
    else lines.splice(start + 1 + at, 1);
    return lines.join('\n');
  }
  if (!b) return source;
  let last = end;
  while (last > start + 1 && lines[last - 1]!.trim() === '') last--;
  lines.splice(last, 0, backgroundLine(b));
  return lines.join('\n');
}
