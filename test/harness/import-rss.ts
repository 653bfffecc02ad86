// Child-process entry for memory tests: imports the files given on the command
// line into the store named by VAULTPROOF_STORE and prints the peak RSS.
import { importFiles } from '../../electron/core/import/index.ts';
import { openStore } from '../../electron/core/store/store.ts';

const store = openStore(process.env.VAULTPROOF_STORE!);
const res = await importFiles(store, process.argv.slice(2), { now: new Date('2026-11-24T00:00:00Z'), user: 'test', asOf: '2026-11-20T08:00:00Z' });
store.close();
process.stdout.write(JSON.stringify({ itemCount: res.itemCount, contentHash: res.contentHash, files: res.files, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
