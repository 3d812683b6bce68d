import { describe, expect, it } from 'vitest';
import type { CatalogQuestion, DraftProblem } from '../../../api/types';
import { codes, formatAnswers, parseAnswers, problemsOf } from './draft';

const QUESTIONS: CatalogQuestion[] = [
  { id: 'has_dog', text: '犬を飼っていますか', kind: 'yes_no', options: [] },
  { id: 'school', text: '学校', kind: 'choice', options: ['公立', '私立'] },
];

describe('the editor draft helpers', () => {
  it('reads answers by the kind of their question, and writes them back', () => {
    const a = parseAnswers('has_dog=はい\nschool=私立\nbroken line\n', QUESTIONS);
    expect(a).toEqual({ has_dog: true, school: '私立' });
    expect(parseAnswers('has_dog=いいえ', QUESTIONS)).toEqual({ has_dog: false });
    expect(formatAnswers(a)).toBe('has_dog=はい\nschool=私立');
  });

  it('finds the problems of one rule', () => {
    const p = (procedure: number, rule: number | null, field: string): DraftProblem => ({
      procedure, rule, question: null, example: null, field, offset: null, message: field,
    });
    const all = [p(0, 0, 'when'), p(0, 1, 'when'), p(1, null, 'name')];
    expect(problemsOf(all, { procedure: 0 }, 'when', 1)).toEqual([all[1]]);
    expect(problemsOf(all, { procedure: 1 })).toEqual([all[2]]);
  });

  it('splits codes on commas and spaces', () => {
    expect(codes('A-1, B-2、C-3  D')).toEqual(['A-1', 'B-2', 'C-3', 'D']);
  });
});
