/**
 * Checks a `POST …/run` body before anything is sent to FASHN: JSON, only
 * `model_name` and `inputs`, an allowed model, and inputs that pass the same
 * strict schema the element uses. Refusals name the field at fault.
 *
 * The body that passes is forwarded as the very text that was checked (no
 * re-serialisation, so no second copy of an 8 MB image). That is only safe if
 * every JSON parser reads it the same way, so duplicate keys, which parsers
 * resolve differently (first wins, last wins), are refused.
 */
import { describeIssue, type inputSchemas } from '../api/schemas.js';

export type InputSchema = (typeof inputSchemas)[keyof typeof inputSchemas];

export type RunCheck =
  | { ok: true; modelName: string; inputs: Record<string, unknown> }
  | {
      ok: false;
      status: 400 | 403;
      error: 'BadRequest' | 'ModelNotAllowed';
      message: string;
      modelName?: string;
    };

const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set(['model_name', 'inputs']);

/** Structural view of a zod issue, as much as the messages below need. */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  values?: unknown[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
}

/** Checks the run body `text` (already decoded); `ok` means it may be forwarded as it is. */
export function checkRunBody(text: string, models: ReadonlyMap<string, InputSchema>): RunCheck {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return badRequest('The request body is not valid JSON.');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return badRequest('The request body must be a JSON object with model_name and inputs.');
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    return badRequest(`${duplicate.map((key) => truncate(key, 40)).join('.')}: duplicate key.`);
  }
  const unknownKey = Object.keys(payload).find((key) => !TOP_LEVEL_KEYS.has(key));
  if (unknownKey !== undefined) {
    return badRequest(
      `${truncate(unknownKey)}: unknown key; only model_name and inputs are accepted.`,
    );
  }
  const { model_name: modelName, inputs } = payload as { model_name?: unknown; inputs?: unknown };
  if (typeof modelName !== 'string') return badRequest('model_name: must be a string.');
  const schema = models.get(modelName);
  if (!schema) {
    return {
      ok: false,
      status: 403,
      error: 'ModelNotAllowed',
      message: `The model ${JSON.stringify(truncate(modelName))} is not allowed by this proxy.`,
    };
  }
  const parsed = schema.safeParse(inputs);
  if (!parsed.success) {
    const issues = (parsed.error.issues as unknown as Issue[]).map((issue) =>
      explain(issue, inputs),
    );
    // Unknown keys first: they are what a tampered request (webhook_url, ...) trips on.
    issues.sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    return { ...badRequest(describeIssue({ issues })), modelName };
  }
  // Forwarded exactly as sent: validated (no unknown keys), not rewritten with defaults.
  return { ok: true, modelName, inputs: inputs as Record<string, unknown> };
}

/**
 * The path of the first key that appears twice in one object of `text`, which
 * must be valid JSON (it is only scanned, not checked). Strings are skipped
 * with `indexOf`, so a multi-megabyte data URL costs one native search.
 */
function findDuplicateKey(text: string): string[] | undefined {
  /** Per open object or array: its keys so far (`undefined` for arrays) and its own key. */
  const stack: Array<{ keys: Set<string> | undefined; name: string }> = [];
  let expectKey = false;
  let pendingName = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22 /* " */) {
      const end = closingQuote(text, i);
      const top = stack.at(-1);
      if (expectKey && top?.keys) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key)) return [...stack.slice(1).map((entry) => entry.name), key];
        top.keys.add(key);
        pendingName = key;
        expectKey = false;
      }
      i = end;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      stack.push({ keys: char === 0x7b ? new Set() : undefined, name: pendingName });
      expectKey = char === 0x7b;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      stack.pop();
    } else if (char === 0x2c /* , */) {
      expectKey = stack.at(-1)?.keys !== undefined;
    }
  }
  return undefined;
}

/** Index of the quote that ends the JSON string opened at `start`. */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \\ */) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/** The issue with its path under `inputs` and a message that says what is expected. */
function explain(issue: Issue, inputs: unknown): Issue {
  const path: PropertyKey[] = ['inputs', ...issue.path];
  const keys = (issue.keys ?? []).map((key) => truncate(key, 40));
  const message = (() => {
    switch (issue.code) {
      case 'unrecognized_keys':
        path.push(keys[0] ?? '?');
        return keys.length > 1
          ? `unknown key (also unknown: ${keys.slice(1).join(', ')})`
          : 'unknown key';
      case 'invalid_type':
        return valueAt(inputs, issue.path) === undefined
          ? `required (${issue.expected})`
          : `must be ${article(issue.expected)}`;
      case 'invalid_value':
        return `must be one of ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(', ')}`;
      case 'too_small':
        return issue.origin === 'string'
          ? `must be at least ${issue.minimum} characters`
          : `must be at least ${issue.minimum}`;
      case 'too_big':
        return issue.origin === 'string'
          ? `must be at most ${issue.maximum} characters`
          : `must be at most ${issue.maximum}`;
      default:
        return issue.message;
    }
  })();
  return { ...issue, path, message };
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function article(expected: string | undefined): string {
  if (!expected) return 'of another type';
  const noun = expected === 'int' ? 'integer' : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function badRequest(message: string): Extract<RunCheck, { ok: false }> {
  return { ok: false, status: 400, error: 'BadRequest', message };
}

function truncate(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
