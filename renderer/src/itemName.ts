// One name-from-key for the UI and the engine's exports (shared/domain/findingsView.ts).
export { nameFromKey } from '../../shared/domain/findingsView.ts';
