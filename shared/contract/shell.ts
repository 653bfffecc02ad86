/**
 * Methods the shell answers itself, beside the core's handler table: native
 * dialogs, the OS keychain, staging dropped files, switching the store. In
 * Electron, main handles them (never the core); in web mode the loopback
 * server answers the ones that make sense there and refuses the rest with a
 * BAD_INPUT that says so. Same Result shape, same zod validation.
 */
import { z } from 'zod';

const fileFilter = z.object({ name: z.string().max(200), extensions: z.array(z.string().max(20)).max(50) }).strict();

export const menuActions = [
  'import',
  'collect',
  'newPack',
  'verifyPack',
  'openStore',
  'find',
  'view:start',
  'view:snapshots',
  'view:items',
  'view:compare',
  'view:findings',
  'view:cost',
  'view:packs',
  'view:access',
  'help:about',
  'help:shortcuts',
] as const;
export type MenuAction = (typeof menuActions)[number];

export const shellMethods = {
  /** Native open dialog; `paths` is empty when the user cancels. */
  'dialog.openFiles': {
    input: z
      .object({
        title: z.string().max(200).optional(),
        filters: z.array(fileFilter).max(20).optional(),
        multiple: z.boolean().optional(),
      })
      .strict(),
  },
  /** Native folder picker; `path` is null when the user cancels. */
  'dialog.chooseFolder': { input: z.object({ title: z.string().max(200).optional() }).strict() },
  /** Native save dialog; `path` is null when the user cancels. */
  'dialog.saveFile': {
    input: z
      .object({
        title: z.string().max(200).optional(),
        defaultName: z.string().max(255).optional(),
        filters: z.array(fileFilter).max(20).optional(),
      })
      .strict(),
  },
  /** Copies a dropped / picked file's bytes to a private staging folder and returns a path the core can import. */
  'files.stage': {
    input: z
      .object({
        name: z.string().min(1).max(255),
        bytes: z.instanceof(Uint8Array),
      })
      .strict(),
  },
  /** Opens a URL in the system browser, only for the allowlisted Azure portal hosts. */
  'shell.openExternal': { input: z.object({ url: z.string().max(4096) }).strict() },
  /** Reveals a file or folder (an evidence pack) in the OS file manager. */
  'shell.showInFolder': { input: z.object({ path: z.string().min(1).max(4096) }).strict() },
  /** Where and what we are: transport kind, store path, version. */
  'app.info': { input: z.object({}).strict() },
  /** Switches to another store file (File > Open store…). */
  'app.openStore': { input: z.object({ path: z.string().min(1).max(4096) }).strict() },
  /** Whether the signing passphrase for an identity can be / is kept in the OS keychain. */
  'passphrase.status': { input: z.object({ identity: z.string().min(1).max(200) }).strict() },
  /** Keeps the passphrase (encrypted by safeStorage). Not stored when the backend is basic_text. */
  'passphrase.save': { input: z.object({ identity: z.string().min(1).max(200), passphrase: z.string().min(1).max(1024) }).strict() },
  /** The kept passphrase, or null: then ask the user. */
  'passphrase.get': { input: z.object({ identity: z.string().min(1).max(200) }).strict() },
  'passphrase.forget': { input: z.object({ identity: z.string().min(1).max(200) }).strict() },
} as const;

export type AppInfo = {
  kind: 'electron' | 'web';
  version: string;
  storePath: string;
  platform: string;
  /** Native dialogs exist (Electron); in web mode use <input type=file> + files.stage. */
  nativeDialogs: boolean;
};

export type PassphraseStatus = {
  /** 'secure': OS keychain; 'basic_text': Linux without a keyring (never stored); 'unavailable': web mode. */
  backend: 'secure' | 'basic_text' | 'unavailable';
  canStore: boolean;
  stored: boolean;
};

export type ShellOutputs = {
  'dialog.openFiles': { paths: string[] };
  'dialog.chooseFolder': { path: string | null };
  'dialog.saveFile': { path: string | null };
  'files.stage': { path: string };
  'shell.openExternal': { opened: boolean };
  'shell.showInFolder': { shown: boolean };
  'app.info': AppInfo;
  'app.openStore': { storePath: string };
  'passphrase.status': PassphraseStatus;
  'passphrase.save': { stored: boolean };
  'passphrase.get': { passphrase: string | null };
  'passphrase.forget': { forgotten: boolean };
};

export type ShellMethods = typeof shellMethods;
export type ShellMethodName = keyof ShellMethods & keyof ShellOutputs;
export type ShellInputOf<M extends ShellMethodName> = z.infer<ShellMethods[M]['input']>;

export function isShellMethodName(name: string): name is ShellMethodName {
  return Object.prototype.hasOwnProperty.call(shellMethods, name);
}
