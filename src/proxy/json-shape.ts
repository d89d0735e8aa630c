/**
 * A linear pre-check of JSON text before `JSON.parse` pays for it: how deep it
 * nests and how many values it holds. A 10 MiB body of five million nested
 * arrays takes seconds to parse and blocks every other request meanwhile; this
 * scan refuses it after the first few dozen characters. Strings are skipped with
 * `indexOf`, so a multi-megabyte data URL costs one native search.
 */

export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most values (object members and array items) in the whole document. */
  maxValues: number;
}

/** Limits for a run body `{ model_name, inputs: { … } }`, with room to spare. */
export const RUN_BODY_LIMITS: Readonly<JsonShapeLimits> = Object.freeze({
  maxDepth: 8,
  maxValues: 256,
});

/** Limits for FASHN's answers (a status holds at most a handful of outputs). */
export const ANSWER_LIMITS: Readonly<JsonShapeLimits> = Object.freeze({
  maxDepth: 16,
  maxValues: 4_096,
});

/**
 * `undefined` when `text` stays within `limits`, else what is over. The text is
 * not validated as JSON here (JSON.parse does that next); an unterminated string
 * simply ends the scan.
 */
export function jsonShapeProblem(text: string, limits: JsonShapeLimits): string | undefined {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22 /* " */) {
      const end = closingQuote(text, i);
      if (end < 0) return undefined;
      i = end;
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth++;
      values++;
      if (depth > limits.maxDepth) return `nested deeper than ${limits.maxDepth} levels`;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      depth--;
    } else if (char === 0x2c /* , */) {
      values++;
    }
    if (values > limits.maxValues) return `more than ${limits.maxValues} values`;
  }
  return undefined;
}

/** Index of the quote that ends the JSON string opened at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \\ */) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}
