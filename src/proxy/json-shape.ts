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
 * not validated as JSON here (JSON.parse does that next).
 */
export function jsonShapeProblem(text: string, limits: JsonShapeLimits): string | undefined {
  return jsonShapeScanner(limits)(text);
}

/**
 * The same check fed piece by piece as a body streams in, so a refusal comes
 * with the first chunk that breaks a limit and the rest is never read. Returns
 * the problem once one is found (and again for every later piece).
 */
export function jsonShapeScanner(limits: JsonShapeLimits): (piece: string) => string | undefined {
  let depth = 0;
  let values = 0;
  let inString = false;
  /** Backslashes that ended the previous piece inside a string. */
  let carried = 0;
  let problem: string | undefined;
  return (piece) => {
    let i = 0;
    while (problem === undefined && i < piece.length) {
      if (inString) {
        const quote = piece.indexOf('"', i);
        if (quote < 0) {
          let run = 0;
          while (run < piece.length - i && piece.charCodeAt(piece.length - 1 - run) === 0x5c) run++;
          carried = run === piece.length - i ? carried + run : run;
          return problem;
        }
        let backslashes = 0;
        while (quote - 1 - backslashes >= i && piece.charCodeAt(quote - 1 - backslashes) === 0x5c)
          backslashes++;
        if (quote - backslashes === i) backslashes += carried;
        carried = 0;
        if (backslashes % 2 === 0) inString = false;
        i = quote + 1;
        continue;
      }
      const char = piece.charCodeAt(i++);
      if (char === 0x22 /* " */) {
        inString = true;
        carried = 0;
      } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
        depth++;
        values++;
        if (depth > limits.maxDepth) problem = `nested deeper than ${limits.maxDepth} levels`;
      } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
        depth--;
      } else if (char === 0x2c /* , */) {
        values++;
      }
      if (values > limits.maxValues) problem ??= `more than ${limits.maxValues} values`;
    }
    return problem;
  };
}
