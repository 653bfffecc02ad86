/** The demo.* methods. */
import { z } from 'zod';
import { filePath, type DemoResult } from './packs.ts';
import type { DemoLoadResult } from './ui.ts';

export const demoMethods = {
  /** Imports the bundled demo estate (assets/demo) into the store: its snapshots, oldest first, and its annotations. */
  'demo.load': { input: z.object({}).strict() },
  'demo.run': { input: z.object({ out: filePath.optional() }).strict() },
} as const;

export type DemoOutputs = {
  'demo.load': DemoLoadResult;
  'demo.run': DemoResult;
};
