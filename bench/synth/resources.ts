import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { AlarmProfile, ProvisionedConcurrency, ResilientFunctionProps, ServiceMonitoring } from '../../lib';
import { ResilientFunction } from '../../lib/function/resilient-function';

/** CloudFormation's limit of resources per stack. */
const STACK_LIMIT = 500;

/** Resources of a stack of `count` functions under `profile`, or the synth error. */
function stackResources(profile: AlarmProfile, count: number, entry: string, props: Partial<ResilientFunctionProps>): number | string {
  const app = new App();
  const stack = new Stack(app, 'Bench');
  ServiceMonitoring.configure(stack, { alarmProfile: profile });
  for (let i = 0; i < count; i++) {
    new ResilientFunction(stack, `Fn${i}`, { entry, ...props });
  }
  try {
    return Object.keys(app.synth().getStackByName('Bench').template.Resources).length;
  } catch (e) {
    return (e as Error).message.match(/Number of resources[^.]*|TooManyResourcesInStack[^\n.]*/)?.[0] ?? 'synth failed';
  }
}

/** Rows of resources per function, per profile and shape, and what 50 functions in one stack come to. */
export function resourcesPerFunctionRows(work: string): Array<Array<string | number>> {
  const entry = path.join(work, 'handlers', 'resources.ts');
  fs.mkdirSync(path.dirname(entry), { recursive: true });
  fs.writeFileSync(entry, 'export const handler = async () => ({ statusCode: 200 });\n');
  const shapes: Array<[string, Partial<ResilientFunctionProps>]> = [
    ['plain', {}],
    ['provisioned concurrency (fixed)', { provisionedConcurrency: ProvisionedConcurrency.fixed(2) }],
  ];
  const rows: Array<Array<string | number>> = [];
  for (const profile of [AlarmProfile.ESSENTIAL, AlarmProfile.FULL]) {
    for (const [shape, props] of shapes) {
      const one = stackResources(profile, 1, entry, props) as number;
      const two = stackResources(profile, 2, entry, props) as number;
      const fifty = stackResources(profile, 50, entry, props);
      const fits = typeof fifty === 'number' ? `${fifty} (${STACK_LIMIT - fifty} spare)` : 'over 500';
      rows.push([profile.toUpperCase(), shape, two - one, fits]);
    }
  }
  return rows;
}
