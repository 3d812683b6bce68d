import { useEffect, useState } from 'react';
import type { PreApplicationBody, ResidentView } from '../../api/types';
import { errorMessage, type Backend } from '../../backend';
import { rankCandidates } from './model';

/** Each person's candidates in the 住民記録 (`null` while searching), and a search error. */
export interface Candidates {
  lists: Array<ResidentView[] | null>;
  error: string | null;
}

/**
 * Searches the 住民記録 for every person of the 事前申請: by kana (else name) with the birth date, and
 * by name alone (a mistyped birth date still finds them). The resident search masks protected
 * addresses and audits every search.
 */
export function useCandidates(backend: Backend, body: PreApplicationBody | null): Candidates {
  const [state, setState] = useState<Candidates>({ lists: [], error: null });
  useEffect(() => {
    if (!body) {
      setState({ lists: [], error: null });
      return;
    }
    let current = true;
    const members = body.entries.members;
    setState({ lists: members.map(() => null), error: null });
    Promise.all(
      members.map(async (m) => {
        const [byBirth, byName] = await Promise.all([
          backend.searchResidents({ q: m.kana || m.name, birth: m.birth, limit: 20 }),
          backend.searchResidents({ q: m.name, limit: 20 }),
        ]);
        return rankCandidates(m, [...byBirth.results, ...byName.results]);
      }),
    ).then(
      (lists) => current && setState({ lists, error: null }),
      (e: unknown) => current && setState({ lists: members.map(() => []), error: errorMessage(e) }),
    );
    return () => {
      current = false;
    };
  }, [backend, body]);
  return state;
}
