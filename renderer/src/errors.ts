/**
 * Turns an error from the backend into what a person needs: what happened
 * (the server's message, which names the file and the place) and what to do
 * next (by error code, because the code is stable across versions).
 */
import type { ErrorInfo } from '../../shared/contract/result.ts';

export type Explained = { title: string; detail: string; action: string; where: string | null };

const actions: Record<ErrorInfo['code'], { title: string; action: string }> = {
  BAD_INPUT: { title: 'Vaultproof could not use what it was given', action: 'Check the file or value named above, correct it, and try again.' },
  NOT_FOUND: { title: 'Not found', action: 'It may have been deleted or never imported. Refresh the list, or import the data first.' },
  CONFLICT: { title: 'That conflicts with something already there', action: 'Read the message, make the choice unambiguous (for example a longer snapshot id), and try again.' },
  STORE: { title: 'The store could not be opened or written', action: 'Check that the store file exists, the disk is not full and you may write to its folder. Your data was left untouched.' },
  VERIFY_FAILED: { title: 'Verification failed', action: 'Something does not match what was signed or hashed. Do not rely on this evidence; obtain a fresh copy from its author.' },
  INCOMPLETE: { title: 'Finished, but incomplete', action: 'Some scopes could not be read. See the coverage details for which ones and why, fix access, and collect again.' },
  CANCELLED: { title: 'Cancelled', action: 'Nothing was saved. Start again when ready.' },
  UNAUTHORIZED: { title: 'This window is not allowed to talk to Vaultproof', action: 'Open the full address that `vaultproof serve` printed (it ends in #token=…), or restart the app.' },
  INTERNAL: { title: 'Something went wrong inside Vaultproof', action: 'This is a bug. Try again; if it repeats, note what you did and report it with the message above.' },
};

export function explainError(info: ErrorInfo): Explained {
  const a = actions[info.code] ?? actions.INTERNAL;
  let where: string | null = null;
  if (info.file) where = `${info.file}${info.line !== undefined ? `:${info.line}` : ''}${info.column !== undefined ? `:${info.column}` : ''}`;
  return { title: a.title, detail: info.message, action: a.action, where };
}
