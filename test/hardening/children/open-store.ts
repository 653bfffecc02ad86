// Child process for the hardening tests: opens (and so creates or migrates) the store named on the
// command line, as every Vaultproof process does first, and prints "ok" or the error as JSON.
import { toErrorInfo } from '../../../electron/core/errors.ts';
import { openStore } from '../../../electron/core/store/store.ts';

try {
  openStore(process.argv[2]!).close();
  process.stdout.write('ok\n');
} catch (e) {
  process.stdout.write(`${JSON.stringify({ error: toErrorInfo(e) })}\n`);
  process.exitCode = 1;
}
