// 手続きナビ for the kiosk in the resident's language. The case keeps the Japanese procedures (the
// staff's), so a resident in another language costs a second evaluation: the Japanese one for the case,
// the translated one for the screen (question texts, option labels, procedure names and counters, each
// with the fields the catalogue could not translate). Answers stay Japanese option values.
import type { EvaluateRequest, EvaluateResponse, ProcedureView } from '../api/types';
import type { Backend } from '../backend';
import type { Locale } from '../i18n';

export interface KioskEvaluation {
  /** For the case (Japanese). */
  japanese: EvaluateResponse;
  /** For the screen: translated, or the Japanese one when `ja` or when the translation failed. */
  shown: EvaluateResponse;
}

export async function evaluateIn(backend: Backend, req: EvaluateRequest, lang: Locale): Promise<KioskEvaluation> {
  if (lang === 'ja') {
    const japanese = await backend.evaluate(req);
    return { japanese, shown: japanese };
  }
  const [japanese, shown] = await Promise.all([backend.evaluate(req), backend.evaluate(req, lang).catch(() => null)]);
  return { japanese, shown: shown ?? japanese };
}

/** A procedure's texts on the screen, by code. */
export type ProcedureTexts = Readonly<Record<string, Pick<ProcedureView, 'name' | 'counter' | 'japanese'>>>;

export function procedureTexts(views: readonly ProcedureView[]): ProcedureTexts {
  return Object.fromEntries(views.map((v) => [v.code, { name: v.name, counter: v.counter, japanese: v.japanese }]));
}
