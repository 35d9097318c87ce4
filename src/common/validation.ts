import type { z } from 'zod';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function formatPath(root: string, path: readonly PropertyKey[]): string {
  let text = root;
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  return text;
}

/** One line per problem, each naming where it is: `policy.timing.durationMinutes: …`. */
export function describeIssues(error: z.ZodError, root: string): string[] {
  return error.issues.map((issue) => `${formatPath(root, issue.path)}: ${issue.message}`);
}

/** Parses `input` with `schema`; on failure, problems a person can act on, never a throw. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  root: string,
): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: describeIssues(result.error, root) };
}

/**
 * A JSON column read back: its value when it parses and fits `schema`, else null (absent, or
 * written by something else). Shown data degrades to "none" rather than failing a request.
 */
export function storedJson<S extends z.ZodType>(
  schema: S,
  text: string | null | undefined,
): z.output<S> | null {
  if (!text) return null;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
