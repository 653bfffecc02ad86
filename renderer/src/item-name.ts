// One name-from-key for the UI and the engine's exports (shared/domain/findings-view.ts).
export { nameFromKey } from '../../shared/domain/findings-view.ts';
