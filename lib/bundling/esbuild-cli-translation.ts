/**
 * Translates esbuild command-line flags into esbuild JavaScript API build options, following the CLI's
 * rules: a repeated single-value flag overrides the earlier one, list and map flags accumulate.
 * Only flags whose effect the JavaScript API reproduces are in the table; any other flag makes the
 * translation fail, and the caller falls back to running the real command line.
 */

type FlagKind =
  | 'string' // --flag=value
  | 'boolean' // --flag, --flag=true, --flag=false
  | 'integer' // --flag=10
  | 'commaList' // --flag=a,b
  | 'repeatList' // --flag:value, repeatable
  | 'stringMap' // --flag:key=value, repeatable
  | 'booleanMap' // --flag:key=true|false, repeatable
  | 'sourcemap' // --sourcemap or --sourcemap=inline|external|both|linked
  | 'metafile'; // --metafile=path: the CLI writes it, the API returns it

const FLAGS: Record<string, { kind: FlagKind; option: string }> = {
  'platform': { kind: 'string', option: 'platform' },
  'format': { kind: 'string', option: 'format' },
  'outfile': { kind: 'string', option: 'outfile' },
  'tsconfig': { kind: 'string', option: 'tsconfig' },
  'tsconfig-raw': { kind: 'string', option: 'tsconfigRaw' },
  'log-level': { kind: 'string', option: 'logLevel' },
  'legal-comments': { kind: 'string', option: 'legalComments' },
  'source-root': { kind: 'string', option: 'sourceRoot' },
  'global-name': { kind: 'string', option: 'globalName' },
  'charset': { kind: 'string', option: 'charset' },
  'jsx': { kind: 'string', option: 'jsx' },
  'jsx-factory': { kind: 'string', option: 'jsxFactory' },
  'jsx-fragment': { kind: 'string', option: 'jsxFragment' },
  'jsx-import-source': { kind: 'string', option: 'jsxImportSource' },
  'packages': { kind: 'string', option: 'packages' },
  'public-path': { kind: 'string', option: 'publicPath' },
  'asset-names': { kind: 'string', option: 'assetNames' },
  'minify': { kind: 'boolean', option: 'minify' },
  'minify-syntax': { kind: 'boolean', option: 'minifySyntax' },
  'minify-whitespace': { kind: 'boolean', option: 'minifyWhitespace' },
  'minify-identifiers': { kind: 'boolean', option: 'minifyIdentifiers' },
  'keep-names': { kind: 'boolean', option: 'keepNames' },
  'ignore-annotations': { kind: 'boolean', option: 'ignoreAnnotations' },
  'tree-shaking': { kind: 'boolean', option: 'treeShaking' },
  'mangle-quoted': { kind: 'boolean', option: 'mangleQuoted' },
  'jsx-dev': { kind: 'boolean', option: 'jsxDev' },
  'jsx-side-effects': { kind: 'boolean', option: 'jsxSideEffects' },
  'preserve-symlinks': { kind: 'boolean', option: 'preserveSymlinks' },
  'sources-content': { kind: 'boolean', option: 'sourcesContent' },
  'bundle': { kind: 'boolean', option: 'bundle' },
  'allow-overwrite': { kind: 'boolean', option: 'allowOverwrite' },
  'color': { kind: 'boolean', option: 'color' },
  'line-limit': { kind: 'integer', option: 'lineLimit' },
  'log-limit': { kind: 'integer', option: 'logLimit' },
  'target': { kind: 'commaList', option: 'target' },
  'main-fields': { kind: 'commaList', option: 'mainFields' },
  'conditions': { kind: 'commaList', option: 'conditions' },
  'resolve-extensions': { kind: 'commaList', option: 'resolveExtensions' },
  'drop-labels': { kind: 'commaList', option: 'dropLabels' },
  'external': { kind: 'repeatList', option: 'external' },
  'inject': { kind: 'repeatList', option: 'inject' },
  'drop': { kind: 'repeatList', option: 'drop' },
  'pure': { kind: 'repeatList', option: 'pure' },
  'define': { kind: 'stringMap', option: 'define' },
  'loader': { kind: 'stringMap', option: 'loader' },
  'alias': { kind: 'stringMap', option: 'alias' },
  'log-override': { kind: 'stringMap', option: 'logOverride' },
  'out-extension': { kind: 'stringMap', option: 'outExtension' },
  'banner': { kind: 'stringMap', option: 'banner' },
  'footer': { kind: 'stringMap', option: 'footer' },
  'supported': { kind: 'booleanMap', option: 'supported' },
  'sourcemap': { kind: 'sourcemap', option: 'sourcemap' },
  'metafile': { kind: 'metafile', option: 'metafile' },
};

const SOURCEMAP_MODES = new Set(['linked', 'inline', 'external', 'both']);

/** esbuild build options (JavaScript API names) plus what the CLI would do around the build. */
export interface TranslatedBuild {
  readonly options: Record<string, unknown>;
  /** Where the CLI would write the metafile, if asked for one. */
  readonly metafilePath?: string;
}

/** The translation, or the first flag that has no JavaScript API equivalent here. */
export type TranslationResult = { readonly build: TranslatedBuild } | { readonly unsupportedFlag: string };

function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined || value === 'true') return true;
  return value === 'false' ? false : undefined;
}

/** Applies one flag to `options`; returns false when its value is malformed for its kind. */
function applyFlag(
  options: Record<string, unknown>, kind: FlagKind, option: string, separator: string, rest: string,
): boolean {
  const value = separator === '=' ? rest : undefined;
  const keyed = separator === ':' ? rest : undefined;
  switch (kind) {
    case 'string':
      if (value === undefined) return false;
      options[option] = value;
      return true;
    case 'boolean': {
      if (separator === ':') return false;
      const parsed = parseBoolean(value);
      if (parsed === undefined) return false;
      options[option] = parsed;
      return true;
    }
    case 'integer':
      if (value === undefined || !/^\d+$/.test(value)) return false;
      options[option] = Number(value);
      return true;
    case 'commaList':
      if (value === undefined) return false;
      options[option] = value.split(',');
      return true;
    case 'repeatList':
      if (keyed === undefined) return false;
      options[option] = [...((options[option] as string[] | undefined) ?? []), keyed];
      return true;
    case 'stringMap':
    case 'booleanMap': {
      const equals = keyed?.indexOf('=') ?? -1;
      if (keyed === undefined || equals < 0) return false;
      const mapKey = keyed.slice(0, equals);
      const raw = keyed.slice(equals + 1);
      const mapValue = kind === 'booleanMap' ? parseBoolean(raw) : raw;
      if (mapValue === undefined) return false;
      options[option] = { ...((options[option] as Record<string, unknown> | undefined) ?? {}), [mapKey]: mapValue };
      return true;
    }
    case 'sourcemap':
      if (separator === ':') return false;
      if (value !== undefined && !SOURCEMAP_MODES.has(value)) return false;
      options[option] = value === undefined || value === 'linked' ? true : value;
      return true;
    case 'metafile':
      return false; // handled by the caller, which keeps the path
  }
}

/**
 * Translates `argv` (flags only, no entry points) into JavaScript API build options.
 */
export function translateEsbuildArgv(argv: ReadonlyArray<string>): TranslationResult {
  const options: Record<string, unknown> = {};
  let metafilePath: string | undefined;
  for (const arg of argv) {
    const match = /^--([a-z][a-z-]*)(?:([=:])([\s\S]*))?$/.exec(arg);
    const spec = match ? FLAGS[match[1]] : undefined;
    if (!match || !spec) return { unsupportedFlag: arg };
    const [, , separator = '', rest = ''] = match;
    if (spec.kind === 'metafile') {
      if (separator !== '=' || rest === '') return { unsupportedFlag: arg };
      metafilePath = rest;
      options.metafile = true;
      continue;
    }
    if (!applyFlag(options, spec.kind, spec.option, separator, rest)) return { unsupportedFlag: arg };
  }
  return { build: { options, metafilePath } };
}
