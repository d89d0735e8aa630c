/**
 * Injected faults: rules matched in the order they were added, each spent after
 * `times` matching requests.
 */
import * as z from 'zod/mini';
import type { FaultKind, FaultRule } from './types.js';

const faultRule = z
  .strictObject({
    kind: z.optional(z.enum(['run', 'status', 'cancel'])),
    model: z.optional(z.string()),
    times: z.optional(z.int().check(z.minimum(1))),
    status: z.optional(z.int().check(z.minimum(200), z.maximum(599))),
    body: z.optional(z.unknown()),
    headers: z.optional(z.record(z.string(), z.string())),
    delayMs: z.optional(z.number().check(z.minimum(0), z.maximum(600_000))),
    network: z.optional(z.boolean()),
    loseAnswer: z.optional(z.boolean()),
    fail: z.optional(
      z.strictObject({ name: z.string().check(z.minLength(1)), message: z.optional(z.string()) }),
    ),
  })
  .check(
    z.refine((rule) => !rule.fail || (rule.kind ?? 'run') === 'run', {
      message: '`fail` applies to run requests only',
      path: ['fail'],
    }),
    z.refine(
      (rule) =>
        !rule.loseAnswer || (rule.status === undefined && rule.body === undefined && !rule.network),
      {
        message: '`loseAnswer` drops the normal answer: no status, body or network with it',
        path: ['loseAnswer'],
      },
    ),
    z.refine(
      (rule) =>
        !rule.fail || (rule.status === undefined && rule.body === undefined && !rule.network),
      {
        message: '`fail` cannot be combined with status, body or network',
        path: ['fail'],
      },
    ),
  );

/** Schema of a fault rule or a list of them, as the control endpoint accepts. */
export const faultRules = z.union([faultRule, z.array(faultRule)]);

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/** What a request is, for matching. */
export interface FaultTarget {
  kind: FaultKind;
  model?: string;
}

export class FaultBook {
  private rules: ActiveRule[] = [];

  add(rules: FaultRule | FaultRule[]): void {
    for (const rule of Array.isArray(rules) ? rules : [rules]) {
      this.rules.push({ rule: { ...rule }, remaining: rule.times ?? 1 });
    }
  }

  clear(): void {
    this.rules = [];
  }

  get pending(): number {
    return this.rules.length;
  }

  /**
   * Spends and returns the first rule matching `target`. `creation` picks rules with
   * `fail` (spent only when a prediction is created); otherwise rules without it.
   */
  take(target: FaultTarget, creation: boolean): FaultRule | undefined {
    const index = this.rules.findIndex(
      ({ rule }) =>
        Boolean(rule.fail) === creation &&
        (rule.kind === undefined || rule.kind === target.kind) &&
        (rule.model === undefined || rule.model === target.model),
    );
    if (index < 0) return undefined;
    const active = this.rules[index];
    active.remaining--;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    return active.rule;
  }
}
