export { startArmEmulator, type ArmEmulator, type ArmEmulatorOptions, type Fault, type RequestLogEntry } from './server.ts';
export { Estate, itemKindCycle, guid, armTime, type EstateOptions, type RsvVaultModel, type BackupVaultModel } from './estate.ts';
export { FakeAuthority, makeJwt, type ServicePrincipal } from './aad.ts';
export { emulatorTls } from './tls.ts';
