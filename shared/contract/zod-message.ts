/** The one way a zod failure becomes text: "path.to.field: message; other: message" ("input" for the root). */
export type IssueLike = { path: ReadonlyArray<PropertyKey>; message: string };

export function zodMessage(issues: ReadonlyArray<IssueLike>): string {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : 'input'}: ${i.message}`).join('; ');
}
