import type { AssemblyStack, CfnResource } from '../assembly/cloud-assembly';
import { LocalRunnerError } from '../errors';
import { parameterValue } from '../overrides/parameter-overrides';
import { resourceAttributes, ResourceAttributes } from './attributes';

/** The fake account and region the app "deploys" to. */
export interface DeploymentTarget {
  readonly account: string;
  readonly region: string;
  /** Parameter values given at start (`--parameter-overrides`): they win over the template's defaults. */
  readonly parameterOverrides?: Readonly<Record<string, string>>;
}

/** Looks up `Fn::ImportValue` exports of the other stacks. */
export type ExportLookup = (name: string) => unknown;

/** Marks a value removed by `AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves the intrinsic functions of one stack's template the way CloudFormation would after deploying it
 * to a fake account and region: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If and the
 * condition functions, Fn::FindInMap, Fn::Base64, Fn::GetAZs, Fn::ImportValue, Fn::ToJsonString, Fn::Length.
 * Every error names the stack, where in the template it occurred and the offending value.
 */
export class TemplateResolver {
  readonly stackName: string;
  private readonly resources: Record<string, CfnResource>;
  private readonly attributeCache = new Map<string, ResourceAttributes>();
  private readonly conditionCache = new Map<string, boolean>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly stack: AssemblyStack, private readonly target: DeploymentTarget, private readonly imports: ExportLookup = () => undefined) {
    this.stackName = stack.stackName;
    this.resources = stack.template.Resources ?? {};
  }

  /** The logical ids of the resources that exist (their Condition, if any, is true). */
  activeResources(): Array<[string, CfnResource]> {
    return Object.entries(this.resources).filter(([, r]) => r.Condition === undefined || this.condition(r.Condition, `Resources`));
  }

  /** A resource's properties with every intrinsic resolved. */
  properties(logicalId: string): Record<string, unknown> {
    const raw = this.resources[logicalId]?.Properties ?? {};
    return (this.resolve(raw, `Resources.${logicalId}.Properties`) as Record<string, unknown> | undefined) ?? {};
  }

  /** Resolves any template value. */
  resolve(value: unknown, where: string): unknown {
    const out = this.walk(value, where);
    return out === NO_VALUE ? undefined : out;
  }

  /** Ref and GetAtt values of a resource. */
  attributes(logicalId: string, where: string): ResourceAttributes {
    const cached = this.attributeCache.get(logicalId);
    if (cached) return cached;
    const resource = this.resources[logicalId];
    if (!resource) throw this.error(where, `refers to ${JSON.stringify(logicalId)}, which is neither a resource nor a parameter of the template`);
    if (this.inProgress.has(logicalId)) throw this.error(where, `has a circular reference through ${logicalId}`);
    this.inProgress.add(logicalId);
    try {
      const attrs = resourceAttributes({
        stackName: this.stackName,
        logicalId,
        type: resource.Type,
        region: this.target.region,
        account: this.target.account,
        property: (name) => this.resolve(resource.Properties?.[name], `Resources.${logicalId}.Properties.${name}`),
      });
      this.attributeCache.set(logicalId, attrs);
      return attrs;
    } finally {
      this.inProgress.delete(logicalId);
    }
  }

  private walk(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((v, i) => this.walk(v, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    const object = value as Record<string, unknown>;
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(keys[0], object[keys[0]], `${where}.${keys[0]}`);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const v = this.walk(object[key], `${where}.${key}`);
      if (v !== NO_VALUE) out[key] = v;
    }
    return out;
  }

  private intrinsic(name: string, arg: unknown, where: string): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(this.text(this.walk(arg, where), where), where);
      case 'Fn::GetAtt': {
        const parts = typeof arg === 'string' ? splitOnce(arg) : (this.walk(arg, where) as unknown[]);
        if (!Array.isArray(parts) || parts.length !== 2) throw this.error(where, `expects [logicalId, attribute], got ${JSON.stringify(arg)}`);
        const [logicalId, attribute] = parts.map((p) => this.text(p, where));
        const value = this.attributes(logicalId, where).attributes[attribute];
        if (value === undefined) throw this.error(where, `asks for attribute ${attribute} of ${logicalId} (${this.resources[logicalId].Type}), which the local runner does not know`);
        return value;
      }
      case 'Fn::Join': {
        const [sep, list] = this.args(arg, 2, where);
        return (this.walk(list, where) as unknown[]).map((p) => this.text(p, where)).join(this.text(sep, where));
      }
      case 'Fn::Select': {
        const [index, list] = this.args(arg, 2, where);
        const items = this.walk(list, where) as unknown[];
        const i = Number(this.walk(index, where));
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          throw this.error(where, `selects index ${JSON.stringify(index)} of ${JSON.stringify(items)}, which is out of range`);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [sep, text] = this.args(arg, 2, where);
        return this.text(this.walk(text, where), where).split(this.text(sep, where));
      }
      case 'Fn::Sub':
        return this.sub(arg, where);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.args(arg, 3, where);
        return this.walk(this.condition(this.text(condition, where), where) ? whenTrue : whenFalse, where);
      }
      case 'Fn::Equals': {
        const [a, b] = this.args(arg, 2, where);
        return JSON.stringify(this.walk(a, where)) === JSON.stringify(this.walk(b, where));
      }
      case 'Fn::And':
        return (arg as unknown[]).every((c) => this.truth(c, where));
      case 'Fn::Or':
        return (arg as unknown[]).some((c) => this.truth(c, where));
      case 'Fn::Not':
        return !this.truth((arg as unknown[])[0], where);
      case 'Fn::Condition':
        return this.condition(this.text(arg, where), where);
      case 'Fn::FindInMap': {
        const [map, top, second] = (this.walk(arg, where) as unknown[]).map((p) => this.text(p, where));
        const value = this.stack.template.Mappings?.[map]?.[top]?.[second];
        if (value === undefined) throw this.error(where, `finds no ${map}.${top}.${second} in Mappings`);
        return value;
      }
      case 'Fn::Base64':
        return Buffer.from(this.text(this.walk(arg, where), where)).toString('base64');
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${this.target.region}${z}`);
      case 'Fn::ImportValue': {
        const exportName = this.text(this.walk(arg, where), where);
        const value = this.imports(exportName);
        if (value === undefined) throw this.error(where, `imports ${JSON.stringify(exportName)}, which no stack of the assembly exports`);
        return value;
      }
      case 'Fn::ToJsonString':
        return JSON.stringify(this.walk(arg, where));
      case 'Fn::Length':
        return (this.walk(arg, where) as unknown[]).length;
      default:
        throw this.error(where, `uses the intrinsic function ${name}, which the local runner does not support`);
    }
  }

  private ref(name: string, where: string): unknown {
    switch (name) {
      case 'AWS::AccountId': return this.target.account;
      case 'AWS::Region': return this.target.region;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${this.target.region}:${this.target.account}:stack/${this.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
    }
    const parameter = this.stack.template.Parameters?.[name];
    const override = this.target.parameterOverrides?.[name];
    if (parameter && override !== undefined) return parameterValue(parameter.Type, override);
    if (parameter) {
      if (parameter.Type?.startsWith('AWS::SSM::Parameter::Value')) return `local-ssm-value-of-${String(parameter.Default)}`;
      if (parameter.Default === undefined) throw this.error(where, `refers to parameter ${name}, which has no Default: give it a value with --parameter-overrides ${name}=<value>`);
      // A list parameter's Ref is a list, its Default the comma-separated text.
      return typeof parameter.Default === 'string' ? parameterValue(parameter.Type, parameter.Default) : parameter.Default;
    }
    return this.attributes(name, where).ref;
  }

  private sub(arg: unknown, where: string): string {
    const [template, vars] = typeof arg === 'string' ? [arg, {}] : this.args(arg, 2, where);
    const variables = (this.walk(vars, where) ?? {}) as Record<string, unknown>;
    return this.text(template, where).replace(/\$\{(!?)([^}]*)\}/g, (_all, bang: string, expr: string) => {
      if (bang) return '${' + expr + '}';
      if (expr in variables) return this.text(variables[expr], where);
      const dot = expr.indexOf('.');
      if (dot > 0 && !expr.startsWith('AWS::')) {
        return this.text(this.intrinsic('Fn::GetAtt', [expr.slice(0, dot), expr.slice(dot + 1)], where), where);
      }
      return this.text(this.ref(expr, where), where);
    });
  }

  private condition(name: string, where: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const definition = this.stack.template.Conditions?.[name];
    if (definition === undefined) throw this.error(where, `uses condition ${JSON.stringify(name)}, which Conditions does not define`);
    const value = this.truth(definition, `Conditions.${name}`);
    this.conditionCache.set(name, value);
    return value;
  }

  private truth(value: unknown, where: string): boolean {
    // Inside condition functions, `{ "Condition": "Name" }` refers to another condition.
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { Condition?: unknown }).Condition === 'string') {
      return this.condition((value as { Condition: string }).Condition, where);
    }
    const out = this.walk(value, where);
    if (typeof out !== 'boolean') throw this.error(where, `expects a condition, got ${JSON.stringify(out)}`);
    return out;
  }

  private args(arg: unknown, count: number, where: string): unknown[] {
    if (!Array.isArray(arg) || arg.length < count - (count === 2 ? 1 : 0)) throw this.error(where, `expects ${count} arguments, got ${JSON.stringify(arg)}`);
    return arg;
  }

  private text(value: unknown, where: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.error(where, `expects a string, got ${JSON.stringify(value)}`);
  }

  private error(where: string, message: string): LocalRunnerError {
    return new LocalRunnerError(`Stack ${this.stackName} (${this.stack.templatePath}): ${where} ${message}`);
  }
}

function splitOnce(text: string): [string, string] {
  const dot = text.indexOf('.');
  return [text.slice(0, dot), text.slice(dot + 1)];
}
