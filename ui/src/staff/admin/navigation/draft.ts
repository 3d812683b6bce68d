// Pure helpers of the 手続きナビ editor: new blank entries, the problems of one place of the draft,
// and the answers of a test household written one per line (`has_dog=はい`).

import type {
  CatalogQuestion,
  DraftProblem,
  LocalCatalog,
  LocalExample,
  LocalProcedure,
  MemberInput,
} from '../../../api/types';

export const EVENTS = ['転入', '転出', '転居', '世帯変更', '出生', '死亡', '婚姻', '離婚', '個別'] as const;

export type Answers = Record<string, boolean | string>;

export function blankProcedure(n: number, today: string): LocalProcedure {
  return {
    code: `CITY-${String(n).padStart(3, '0')}`,
    name: '',
    department: '',
    counter: '',
    on_the_spot: false,
    guidance: '',
    legal_basis: '',
    explanation: '',
    bring: [],
    forms: [],
    pamphlets: [],
    permission: 'accept_notification',
    valid_from: today,
    valid_until: null,
    rules: [{ when: '', reason: '' }],
  };
}

export function blankMember(mover = true): MemberInput {
  return { birth: '1990-04-01', relation: '世帯主', mover };
}

export function blankExample(today: string): LocalExample {
  return { name: '', event: '転入', detail: '国内', date: today, expect: [], expect_not: [], answers: {}, after: [blankMember()] };
}

/** The draft with every list present (the server may leave empty ones out). */
export function normalised(d: LocalCatalog): Required<Pick<LocalCatalog, 'questions' | 'procedures' | 'examples'>> {
  return { questions: d.questions ?? [], procedures: d.procedures ?? [], examples: d.examples ?? [] };
}

/** Problems of procedure `i` (optionally one field, or one rule's field). */
export function problemsOf(
  problems: readonly DraftProblem[],
  where: { procedure?: number; question?: number; example?: number },
  field?: string,
  rule?: number,
): DraftProblem[] {
  return problems.filter(
    (p) =>
      (where.procedure === undefined || p.procedure === where.procedure) &&
      (where.question === undefined || p.question === where.question) &&
      (where.example === undefined || p.example === where.example) &&
      (field === undefined || p.field === field) &&
      (rule === undefined || p.rule === rule),
  );
}

/** One answer per line: `id=はい`, `id=いいえ` (yes/no questions) or `id=option`. */
export function parseAnswers(text: string, questions: readonly CatalogQuestion[]): Answers {
  const out: Answers = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const id = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    const q = questions.find((x) => x.id === id);
    out[id] = q?.kind === 'yes_no' ? value === 'はい' : value;
  }
  return out;
}

export function formatAnswers(answers: Answers | undefined): string {
  return Object.entries(answers ?? {})
    .map(([id, v]) => `${id}=${v === true ? 'はい' : v === false ? 'いいえ' : v}`)
    .join('\n');
}

export const lines = (text: string): string[] => text.split('\n').map((s) => s.trim()).filter(Boolean);
export const codes = (text: string): string[] => text.split(/[,、\s]+/).map((s) => s.trim()).filter(Boolean);
