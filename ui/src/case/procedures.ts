// 手続きナビ and the case: what it is asked about a notification, and how its answer becomes the
// case's procedures.
import type {
  CaseDocument,
  CaseMember,
  CaseProcedure,
  EvaluateRequest,
  MemberInput,
  Notification,
  ProcedureView,
} from '../api/types';

function wire(m: CaseMember): MemberInput {
  return { ...m.facts };
}

/**
 * The household before and after an event, as 手続きナビ takes them: `all` the members (the event's
 * subjects marked `mover`), `staying` those it does not take in or out.
 */
export function householdsFor(kind: string, all: MemberInput[], staying: MemberInput[]): [MemberInput[], MemberInput[]] {
  switch (kind) {
    case '転入':
      return [[], all];
    case '転出':
    case '死亡':
      return [all, staying];
    case '出生':
      return [staying, all];
    default:
      return [all, all];
  }
}

/** 手続きナビ's input for one notification. */
export function evaluateRequest(n: Notification, answers: CaseDocument['answers']): EvaluateRequest {
  const all = n.members.map(wire);
  const staying = n.members.filter((m) => !m.facts.mover).map(wire);
  const [before, after] = householdsFor(n.kind, all, staying);
  return {
    event: n.kind,
    detail: n.detail ?? '',
    event_date: n.event_date,
    household_before: before,
    household_after: after,
    answers: answers ?? {},
  };
}

/**
 * The case's procedures after a new evaluation: what the engine found now, in its order, keeping
 * the state (印刷済, 受付済) of procedures the case already had. Procedures found for several
 * notifications appear once, with every reason.
 */
export function mergeProcedures(current: CaseProcedure[], found: ProcedureView[]): CaseProcedure[] {
  const byCode = new Map(current.map((p) => [p.code, p]));
  const out: CaseProcedure[] = [];
  for (const p of found) {
    const existing = out.find((o) => o.code === p.code);
    if (existing) {
      existing.reasons = [...new Set([...(existing.reasons ?? []), ...p.reasons])];
      continue;
    }
    out.push({
      code: p.code,
      name: p.name,
      counter: p.counter,
      on_the_spot: p.on_the_spot,
      state: byCode.get(p.code)?.state ?? 'pending',
      reasons: p.reasons,
      forms: p.forms,
      bring: p.bring,
    });
  }
  return out;
}
