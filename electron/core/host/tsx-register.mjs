// Loaded with `--import` into a worker thread of a checkout (TypeScript run
// through tsx). A file, not an eval'd string; and not `--import tsx`, because
// tsx's own entry registers only on the main thread on Node 20 (it checks
// isMainThread below Node 22.22), so a worker would load .ts without it.
import { register } from 'tsx/esm/api';

register();
