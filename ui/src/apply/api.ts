// What the phone app asks the server: the public routes of the one `Backend` interface.
import type { PreApplicationEntries } from '../api/types';
import type { Backend } from '../backend/Backend';

// TODO(merge prescan): these three become Backend methods with generated types.
export interface SignedPreApplication {
  symbols: string[];
  svgs: string[];
  issued: string;
  expires: string;
}
export interface SentPreApplication {
  number: string;
  expires: string;
}
interface PreApplicationCalls {
  signPreApplication(tenant: string, entries: PreApplicationEntries): Promise<SignedPreApplication>;
  sendPreApplication(tenant: string, writeId: string, entries: PreApplicationEntries): Promise<SentPreApplication>;
  deletePreApplication(tenant: string, number: string, birth: string): Promise<void>;
}

export type ApplyBackend = Pick<Backend, 'guide' | 'publicTowns'> & PreApplicationCalls;
