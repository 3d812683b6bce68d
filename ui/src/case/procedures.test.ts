import { describe, expect, it } from 'vitest';
import type { ProcedureView } from '../api/types';
import { mergeProcedures } from './procedures';

function procedure(code: string, reasons: string[], onTheSpot = true): ProcedureView {
  return {
    code,
    name: code,
    department: '市民課',
    counter: '市民課',
    on_the_spot: onTheSpot,
    reasons,
    forms: [],
    bring: [],
    explanation: '',
    guidance: '',
    legal_basis: '',
    pamphlets: [],
    questions: [],
    permission: 'accept_notification',
    valid_from: '2020-01-01',
  };
}

describe('procedures', () => {
  it('keep their state across evaluations and appear once with every reason', () => {
    const first = mergeProcedures([], [procedure('JUKI-TENNYU', ['転入のため']), procedure('KOKUHO-KANYU', ['国保'])]);
    expect(first.map((p) => p.state)).toEqual(['pending', 'pending']);
    const printed = first.map((p) => (p.code === 'JUKI-TENNYU' ? { ...p, state: 'printed' } : p));
    const again = mergeProcedures(printed, [
      procedure('JUKI-TENNYU', ['転入のため']),
      procedure('JUKI-TENNYU', ['2世帯目の転入のため']),
      procedure('HOIKU-NYUEN', ['保育を希望'], false),
    ]);
    expect(again.map((p) => [p.code, p.state])).toEqual([
      ['JUKI-TENNYU', 'printed'],
      ['HOIKU-NYUEN', 'pending'],
    ]);
    expect(again[0]!.reasons).toEqual(['転入のため', '2世帯目の転入のため']);
    expect(again[1]!.on_the_spot).toBe(false);
  });
});
