import type { CliCommand } from './types.ts';
import { spineCommands } from './spine.ts';
import { serveCommands } from './serve.ts';
import { annotationCommands } from './annotations.ts';
import { analysisCommands } from './analysis.ts';
import { collectCommands } from './collect.ts';
import { packCommands } from './packs.ts';

/** Every CLI command, in help order. Each domain adds its list here. */
export const commands: CliCommand[] = [...spineCommands, ...serveCommands, ...annotationCommands, ...analysisCommands, ...collectCommands, ...packCommands];
