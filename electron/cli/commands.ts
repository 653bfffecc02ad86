import type { CliCommand } from './types.ts';
import { spineCommands } from './spine.ts';
import { serveCommands } from './serve.ts';
import { annotationCommands } from './annotations.ts';

/** Every CLI command, in help order. Each domain adds its list here. */
export const commands: CliCommand[] = [...spineCommands, ...serveCommands, ...annotationCommands];
