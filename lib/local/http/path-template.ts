/** A path template of API Gateway (`/items/{id}`, `/files/{proxy+}`), compiled for matching. */
export interface PathTemplate {
  readonly template: string;
  readonly segments: readonly Segment[];
}

type Segment = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'param'; readonly name: string } | { readonly kind: 'greedy'; readonly name: string };

export function compilePath(template: string): PathTemplate {
  const segments: Segment[] = splitPath(template).map((s) => {
    const greedy = /^\{(.+)\+\}$/.exec(s);
    if (greedy) return { kind: 'greedy', name: greedy[1] };
    const param = /^\{(.+)\}$/.exec(s);
    return param ? { kind: 'param', name: param[1] } : { kind: 'literal', text: s };
  });
  return { template, segments };
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

/** A match: path parameters and a score that ranks literal segments over parameters over greedy ones. */
export interface PathMatch {
  readonly params: Record<string, string>;
  readonly score: readonly number[];
}

export function matchPath(template: PathTemplate, segments: readonly string[]): PathMatch | undefined {
  const params: Record<string, string> = {};
  const score: number[] = [];
  const t = template.segments;
  for (let i = 0; i < t.length; i++) {
    const s = t[i];
    if (s.kind === 'greedy') {
      if (i !== t.length - 1 || segments.length <= i) return undefined;
      params[s.name] = segments.slice(i).map(decode).join('/');
      score.push(1);
      return { params, score };
    }
    if (i >= segments.length) return undefined;
    if (s.kind === 'literal') {
      if (s.text !== segments[i]) return undefined;
      score.push(3);
    } else {
      params[s.name] = decode(segments[i]);
      score.push(2);
    }
  }
  return segments.length === t.length ? { params, score } : undefined;
}

/** True when score `a` ranks above `b`. */
export function betterScore(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return false;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
