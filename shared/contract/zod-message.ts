/** The one way a zod failure becomes text: "path.to.field: message; other: message" ("input" for the root). */
export type IssueLike = { path: ReadonlyArray<PropertyKey>; message: string };

/** One issue as "path.to.field: message"; `root` names the whole value (a call's "input", a file's "(root)"). */
export function zodIssueText(issue: IssueLike, root = 'input'): string {
  return `${issue.path.length ? issue.path.map(String).join('.') : root}: ${issue.message}`;
}

export function zodMessage(issues: ReadonlyArray<IssueLike>): string {
  return issues.map((i) => zodIssueText(i)).join('; ');
}
