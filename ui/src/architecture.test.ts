import { describe, expect, it } from 'vitest';

// The UI's layering: the kiosk, the issuance station and the staff app share the case model
// (`case/`), the widgets (`components/`) and the hooks (`hooks/`) — the two resident apps also the
// self-service frame (`selfservice/`) — and never import each other; the shared folders import no
// app. Read from the sources themselves (through Vite, which lists and reads them).

/** Every source file under `src/`, by its path relative to this file (`./kiosk/CardStep.tsx`). */
const SOURCES = import.meta.glob<string>('./**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true });

/** The folders of `src/` each folder must not import from. */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  kiosk: ['staff', 'issuance'],
  issuance: ['kiosk', 'staff'],
  staff: ['kiosk', 'issuance'],
  selfservice: ['kiosk', 'issuance', 'staff'],
  case: ['kiosk', 'issuance', 'staff'],
  components: ['kiosk', 'issuance', 'staff'],
  hooks: ['kiosk', 'issuance', 'staff'],
};

/** The module specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) found.push(match[1]!);
  }
  return found;
}

/**
 * The path under `src/` a relative specifier of `file` names (`./kiosk/A.tsx` + `../staff/B` →
 * `staff/B`); `null` for a package.
 */
function resolve(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const parts = file.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.filter((p) => p !== '.').join('/');
}

/** `kiosk` for `kiosk/CardStep.tsx`; the folder of `src/` a path is in (or the file at the top). */
function folderOf(path: string): string {
  return path.replace(/^\.\//, '').split('/')[0]!;
}

/** Every import that crosses a forbidden line, as `file → specifier`. */
function violations(sources: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [file, source] of Object.entries(sources)) {
    const forbidden = FORBIDDEN[folderOf(file)] ?? [];
    for (const specifier of importsOf(source)) {
      const target = resolve(file, specifier);
      if (target !== null && forbidden.includes(folderOf(target))) out.push(`${file} → ${specifier}`);
    }
  }
  return out.sort();
}

describe('the UI architecture', () => {
  it('reads the sources of every layered folder', () => {
    const folders = new Set(Object.keys(SOURCES).map(folderOf));
    for (const folder of Object.keys(FORBIDDEN)) expect(folders).toContain(folder);
  });

  it('keeps the kiosk and the staff app apart, and the shared folders free of both', () => {
    expect(violations(SOURCES)).toEqual([]);
  });

  it('finds every kind of import across the line', () => {
    const bad = {
      './kiosk/A.tsx': "import { PinPad } from '../staff/PinPad';\nimport '../staff/x.css';",
      './staff/visit/B.tsx': "export { x } from '../../kiosk/model';\nconst y = import('../../kiosk/Lazy');",
      './components/C.tsx': "import type { KioskData } from '../kiosk/model';",
      './case/D.ts': "import { Draft } from '../staff/visit/model';",
      './kiosk/E.tsx': "import { newId } from '../case/ids';\nimport { useState } from 'react';",
      './staff/F.tsx': "import { PinPad } from '../components/PinPad';",
    };
    expect(violations(bad)).toEqual([
      './case/D.ts → ../staff/visit/model',
      './components/C.tsx → ../kiosk/model',
      './kiosk/A.tsx → ../staff/PinPad',
      './kiosk/A.tsx → ../staff/x.css',
      './staff/visit/B.tsx → ../../kiosk/Lazy',
      './staff/visit/B.tsx → ../../kiosk/model',
    ]);
  });
});
