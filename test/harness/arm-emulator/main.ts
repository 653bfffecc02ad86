/**
 * Runs the emulator in its own process (the bench uses this so the
 * collector's memory and CPU are measured alone). Options come as JSON in
 * argv[2]; the first stdout line is `{"url","ca","tenantId"}`. It stops when
 * stdin closes.
 */
import { startArmEmulator, type ArmEmulatorOptions } from './server.ts';

const opts = JSON.parse(process.argv[2] ?? '{}') as ArmEmulatorOptions;
const emu = await startArmEmulator(opts);
process.stdout.write(`${JSON.stringify({ url: emu.url, ca: emu.ca, tenantId: emu.estate.tenantId, token: emu.userToken(), subscriptions: emu.estate.subscriptions.map((s) => s.subscriptionId) })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void emu.close().then(() => process.exit(0));
});
