// Checks of untrusted JSON at the API boundary, before anything recursive (zod, Prisma, the engine's cache keys)
// or PostgreSQL sees it. Pure: no imports, so the engine, the HTTP layer and tRPC share it.

/** Deepest nesting of objects and arrays accepted in any API input or graph document. */
export const maxJsonDepth = 64;

export type UnsafeJsonCode = 'invalid_string' | 'too_deep';

/** Where a value is unacceptable: the path of keys and indexes from the root, a typed code and a sentence. */
export interface UnsafeJson {
  path: (string | number)[];
  code: UnsafeJsonCode;
  message: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units).
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unprintable = /[\u0000-\u001f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Why a string cannot be stored, or undefined when it can: PostgreSQL refuses NUL in text and jsonb,
 * and a lone surrogate has no UTF-8 encoding (it would be stored as U+FFFD or refused).
 */
export function stringProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (loneSurrogate.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/**
 * The first problem in a JSON value: a string (value or object key) that cannot be stored, or objects and arrays
 * nested deeper than maxDepth (the root object is depth 1). Iterative with an explicit stack, so any depth is
 * checked without recursion; stops at the first problem.
 */
export function findUnsafeJson(value: unknown, maxDepth = maxJsonDepth): UnsafeJson | undefined {
  const stack: Frame[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (typeof current === 'string') {
      const problem = stringProblem(current);
      if (problem) return { path: pathOf(frame), code: 'invalid_string', message: problem };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const depth = frame.depth + 1;
    if (depth > maxDepth) return { path: pathOf(frame), code: 'too_deep', message: `objects and arrays are nested more than ${maxDepth} levels deep` };
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth, parent: frame, key: i });
      continue;
    }
    const keys = Object.keys(current);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const problem = stringProblem(key);
      if (problem) return { path: [...pathOf(frame), key], code: 'invalid_string', message: `the key ${problem}` };
      stack.push({ value: (current as Record<string, unknown>)[key], depth, parent: frame, key });
    }
  }
  return undefined;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** A path as people read it: `document.nodes.0.params.text`. Keys are shown with their bad characters escaped. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  return path.map((key) => String(key).replace(unprintable, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('.');
}

/** One line naming the place and the problem: `document.nodes.0.params.text: contains a NUL character (U+0000)`. */
export function describeUnsafeJson(problem: UnsafeJson): string {
  return problem.path.length > 0 ? `${formatJsonPath(problem.path)}: ${problem.message}` : problem.message;
}
