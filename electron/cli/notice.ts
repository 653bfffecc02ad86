/** Where the CLI tells things the user must know whatever the command (runCli points it at stderr). Kept apart so cli.ts loads no core code. */
let sink: ((text: string) => void) | null = null;

export function setCliNotice(next: ((text: string) => void) | null): void {
  sink = next;
}

export function cliNotice(text: string): void {
  sink?.(text);
}
