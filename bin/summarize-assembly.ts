/*
 * Prints what a synthesized cloud assembly contains: stacks, functions, aliases, provisioned
 * concurrency and alarms, plus the validation report. `npm start` runs it after `cdk synth`.
 */
import * as fs from 'fs';
import * as path from 'path';

type Resources = Record<string, { Type: string; Properties?: any }>;

const outdir = path.resolve(process.argv[2] ?? 'cdk.out');
const manifestPath = path.join(outdir, 'manifest.json');
if (!fs.existsSync(manifestPath)) {
  console.error(`No cloud assembly at ${outdir} (missing manifest.json): run \`npx cdk synth\` first.`);
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
const stacks = Object.entries<any>(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');

console.log(`Cloud assembly: ${outdir}`);
for (const [name, artifact] of stacks) {
  const templatePath = path.join(outdir, artifact.properties.templateFile);
  const resources: Resources = JSON.parse(fs.readFileSync(templatePath, 'utf-8')).Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  console.log(`\nStack ${name}: ${templatePath} (${Object.keys(resources).length} resources)`);

  for (const [id, fn] of ofType('AWS::Lambda::Function')) {
    const p = fn.Properties;
    console.log(`  function ${id}: ${p.Runtime} ${p.Architectures?.[0] ?? 'x86_64'}, ${p.MemorySize ?? 128} MB, timeout ${p.Timeout ?? 3} s, tracing ${p.TracingConfig?.Mode ?? 'off'}`
      + (p.ReservedConcurrentExecutions !== undefined ? `, reserved ${p.ReservedConcurrentExecutions}` : ''));
    for (const [aliasId, alias] of ofType('AWS::Lambda::Alias').filter(([, a]) => refersTo(a.Properties.FunctionName, id))) {
      const pc = alias.Properties.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions;
      console.log(`    alias ${alias.Properties.Name} (${aliasId}): provisioned concurrency ${pc ?? 'none'}`);
      for (const [targetId, target] of ofType('AWS::ApplicationAutoScaling::ScalableTarget').filter(([, t]) => refersTo(t.Properties.ResourceId, aliasId))) {
        console.log(`      autoscaling ${target.Properties.MinCapacity}-${target.Properties.MaxCapacity}`);
        for (const [, policy] of ofType('AWS::ApplicationAutoScaling::ScalingPolicy')) {
          const tracking = policy.Properties.TargetTrackingScalingPolicyConfiguration;
          if (tracking && refersTo(policy.Properties.ScalingTargetId, targetId)) {
            console.log(`      target tracking: ${tracking.PredefinedMetricSpecification.PredefinedMetricType} at ${tracking.TargetValue}`);
          }
        }
        for (const action of target.Properties.ScheduledActions ?? []) {
          const bounds = action.ScalableTargetAction;
          console.log(`      schedule ${action.ScheduledActionName}: ${action.Schedule}${action.Timezone ? ` ${action.Timezone}` : ''} -> min ${bounds.MinCapacity ?? '-'}, max ${bounds.MaxCapacity ?? '-'}`);
        }
      }
      for (const [, rule] of ofType('AWS::Events::Rule')) {
        for (const target of rule.Properties.Targets ?? []) {
          const input = JSON.stringify(target.Input ?? '');
          const concurrency = /concurrency\\":(\d+)/.exec(input);
          if (concurrency && input.includes(aliasId)) {
            console.log(`      warmed: ${rule.Properties.ScheduleExpression} -> ${concurrency[1]} distinct instances`);
          }
        }
      }
    }
    const breaker = p.Environment?.Variables?.RESILIENT_BREAKER_CIRCUITS;
    if (breaker) {
      console.log(`    circuit breaker: circuits ${breaker}, state in table ${JSON.stringify(p.Environment.Variables.RESILIENT_BREAKER_TABLE)}`);
    }
  }

  const alarms = ofType('AWS::CloudWatch::Alarm');
  console.log(`  alarms (${alarms.length}):`);
  for (const [id, alarm] of alarms) {
    const p = alarm.Properties;
    const what = p.MetricName ?? p.Metrics?.find((m: any) => m.Expression)?.Expression;
    console.log(`    ${id}: ${what} ${p.ComparisonOperator === 'GreaterThanThreshold' ? '>' : p.ComparisonOperator} ${p.Threshold}`
      + ` (${p.DatapointsToAlarm ?? p.EvaluationPeriods} of ${p.EvaluationPeriods} periods)`);
  }
}

const reportPath = path.join(outdir, 'validation-report.json');
if (fs.existsSync(reportPath)) {
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf-8'));
  const violations = report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => `${r.pluginName}: ${v.ruleName}`));
  console.log(`\nValidation (CloudFormation schema, cdk-nag AwsSolutions + Serverless): ${violations.length === 0 ? 'no findings' : violations.join(', ')}`);
}

/** True when a CloudFormation value mentions the logical id (Ref, GetAtt or inside a Join). */
function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value ?? '').includes(logicalId);
}
