// What the phone app asks the server: the public routes of the one `Backend` interface.
import type { Backend } from '../backend/Backend';

export type ApplyBackend = Pick<
  Backend,
  'guide' | 'publicTowns' | 'signPreApplication' | 'sendPreApplication' | 'deletePreApplication'
>;
