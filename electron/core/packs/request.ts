/**
 * The one request type of the pack pipeline: the packs.build input exactly as
 * the contract checked it, passed unchanged from the handler to the writers.
 */
import type { InputOf } from '../../../shared/contract/index.ts';

export type PackRequest = InputOf<'packs.build'>;
