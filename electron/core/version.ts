import { createRequire } from 'node:module';

/**
 * The tool version, read once from package.json. Its own module so that
 * import, collect, packs and the entrances can stamp it without loading the
 * store-opening code in context.ts.
 */
const require = createRequire(import.meta.url);
export const toolVersion: string = (require('../../package.json') as { version: string }).version;
