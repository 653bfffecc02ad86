/**
 * Passphrases on the command line: from an environment variable
 * (--passphrase-env VAR) or, on a terminal, from a prompt that does not echo;
 * never from an argument.
 */
import { UserError } from '../core/errors.ts';
import { passphraseFromEnv } from '../core/packs/sign/identity.ts';
import { strArg } from './run.ts';
import type { ParsedArgs } from './types.ts';
import { terminalSafe } from '../core/terminal-text.ts';

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    // The question names a file or identity from the command line: never raw to the terminal.
    process.stderr.write(terminalSafe(question));
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const finish = (err: Error | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n' || c === '\u0004') return finish(null);
        if (c === '\u0003') return finish(new UserError('CANCELLED', 'cancelled'));
        if (c === '\u007f' || c === '\b') value = value.slice(0, -1);
        else value += c;
      }
    };
    stdin.on('data', onData);
  });
}

export async function passphraseFrom(args: ParsedArgs, what: string): Promise<string> {
  const env = strArg(args, 'passphrase-env');
  if (env) return passphraseFromEnv(env);
  if (process.stdin.isTTY) {
    const p = await promptHidden(`Passphrase for ${what}: `);
    if (!p) throw new UserError('BAD_INPUT', 'an empty passphrase is not allowed');
    return p;
  }
  throw new UserError('BAD_INPUT', 'no passphrase: name the environment variable that holds it with --passphrase-env VAR (it is never taken as an argument)');
}
