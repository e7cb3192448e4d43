import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Collects every problem of one construct's props so the user fixes them all in one go.
 * Values that are CDK tokens are never judged: they resolve only at deploy time.
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly scope: IConstruct, private readonly constructName: string) {}

  /** Records `prop must be <allowed>, got <value>` unless `ok` holds. */
  public check(ok: boolean, prop: string, value: unknown, allowed: string): void {
    if (!ok) {
      this.problems.push(`${prop} must be ${allowed}, got ${describe(value)}`);
    }
  }

  /** Checks a number against an inclusive range; skips undefined and tokens. */
  public range(prop: string, value: number | undefined, min: number, max: number = Infinity): void {
    if (!isConcrete(value)) {
      return;
    }
    const allowed = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
    this.check(Number.isFinite(value) && value >= min && value <= max, prop, value, allowed);
  }

  /** Checks an integer against an inclusive range; skips undefined and tokens. */
  public integer(prop: string, value: number | undefined, min: number, max: number = Infinity): void {
    if (!isConcrete(value)) {
      return;
    }
    const allowed = max === Infinity ? `an integer >= ${min}` : `an integer between ${min} and ${max}`;
    this.check(Number.isInteger(value) && value >= min && value <= max, prop, value, allowed);
  }

  /** Records a problem that does not fit the `must be` form. */
  public fail(message: string): void {
    this.problems.push(message);
  }

  public get problemCount(): number {
    return this.problems.length;
  }

  /** Throws one error listing every problem, naming the construct path. */
  public throwIfInvalid(): void {
    if (this.problems.length === 0) {
      return;
    }
    const list = this.problems.map((p) => `  - ${p}`).join('\n');
    const noun = this.problems.length === 1 ? 'problem' : 'problems';
    throw new Error(`${this.constructName} at '${this.scope.node.path}' has ${this.problems.length} ${noun} in its props:\n${list}`);
  }
}

/** A value that is present and not a token, so it can be checked at synth time. */
export function isConcrete<T>(value: T | undefined): value is T {
  return value !== undefined && !Token.isUnresolved(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(describe).join(', ')}]`;
  }
  return String(value);
}
