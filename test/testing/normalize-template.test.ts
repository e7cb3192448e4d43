import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { ResilientFunction } from '../../lib';
import { normalizeTemplate, templateSerializer } from '../../lib/testing';
import { newStack } from '../support/stacks';

/** Synthesizes a stack around a handler whose source is `source`, in a project of its own. */
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function synthWithHandler(source: string): Record<string, any> {
  // Inside the project (git-ignored .tmp/) so esbuild resolves from the project's node_modules.
  const root = path.join(__dirname, '..', '..', '.tmp');
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, 'normalize-'));
  tempDirs.push(dir);
  fs.writeFileSync(path.join(dir, 'handler.ts'), source);
  const stack = newStack('Snap');
  new ResilientFunction(stack, 'Fn', { entry: path.join(dir, 'handler.ts') });
  return Template.fromStack(stack).toJSON();
}

describe('normalizeTemplate', () => {
  const before = synthWithHandler('export const handler = async () => "one";\n');
  const after = synthWithHandler('export const handler = async () => "two, a different body";\n');

  test('a handler edit changes the raw template (asset hash and Version logical id)', () => {
    expect(after).not.toEqual(before);
    const versionIds = (t: Record<string, any>) => Object.keys(t.Resources).filter((id) => id.includes('CurrentVersion'));
    expect(versionIds(after)).not.toEqual(versionIds(before));
  });

  test('normalised templates are equal across the edit', () => {
    expect(normalizeTemplate(after)).toEqual(normalizeTemplate(before));
    expect(JSON.stringify(normalizeTemplate(before))).toContain('CurrentVersion[VERSION]');
    expect(JSON.stringify(normalizeTemplate(before))).toContain('[ASSET_HASH].zip');
  });

  test('normalisation keeps everything else', () => {
    const normalized = normalizeTemplate(before);
    expect(Object.keys(normalized.Resources)).toHaveLength(Object.keys(before.Resources).length);
    const fn = Object.values<any>(normalized.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
  });

  test('the jest serializer prints normalised templates', () => {
    const print = (value: unknown) => templateSerializer.serialize(value as object, {}, '', 0, [], (v: unknown) => JSON.stringify(v));
    expect(templateSerializer.test(before)).toBe(true);
    expect(templateSerializer.test({ other: 1 })).toBe(false);
    expect(print(after)).toEqual(print(before));
  });
});
