import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { BackendContext, type Backend } from '../backend';

/** Renders `ui` with `backend` as the BackendContext. */
export function renderWithBackend(ui: ReactElement, backend: Backend) {
  return render(<BackendContext.Provider value={backend}>{ui}</BackendContext.Provider>);
}
