// The case being edited survives a lost connection, an error and a page reload: every change is
// kept in the tab's sessionStorage (personal data: gone when the tab closes, cleared at logout)
// until the staff member starts another case.
import type { Draft } from './model';

const KEY = 'madoguchi.visit-draft';

export interface StoredVisit {
  draft: Draft;
  step: number;
}

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function loadVisit(): StoredVisit | null {
  try {
    const raw = storage()?.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredVisit;
    return parsed && typeof parsed.draft?.caseId === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function storeVisit(visit: StoredVisit | null): void {
  try {
    if (visit === null) storage()?.removeItem(KEY);
    else storage()?.setItem(KEY, JSON.stringify(visit));
  } catch {
    // Storage full or disabled: the draft then lives in memory only.
  }
}
