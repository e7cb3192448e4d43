import type { LocalRunner } from '../runner';

/** What the runner prints once it is up: where everything is, what is not emulated, what to try. */
export function startupReport(runner: LocalRunner, source: string): string {
  const m = runner.model;
  const lines = [`cdk-resilient-serverless local: ${source} (fake account ${m.account}, region ${m.region})`];
  for (const api of runner.apis) {
    const bases = Object.values(api.stageUrls).join(', ') || `${api.url} (no stage)`;
    lines.push(`  ${api.kind === 'rest' ? 'REST API (v1 events)' : 'HTTP API (v2 events)'} ${api.displayName}: ${bases}`);
    for (const route of api.routes) lines.push(`      ${route}`);
  }
  lines.push(`  events endpoint (PutEvents, POST /events): ${runner.eventsUrl}`);
  if (runner.dashboardUrl) lines.push(`  local dashboard (environments, invocations, breakers, queues, schedules): ${runner.dashboardUrl}`);
  lines.push(`  Lambda Invoke API: ${runner.invokeUrl}`);
  const tables = m.tables.map((t) => `${t.displayName} (${t.tableName})`).join(', ');
  lines.push(`  DynamoDB (dynalite): ${runner.dynamoEndpoint}${tables ? `, tables: ${tables}` : ''}`);
  lines.push(...messagingReport(runner));
  const fns = m.functions.map((f) => {
    const extras = [f.provisionedConcurrency ? `provisioned ${f.provisionedConcurrency}` : '', f.reservedConcurrency !== undefined ? `reserved ${f.reservedConcurrency}` : '', f.breaker ? `circuits ${f.breaker.circuits.join(',')}` : ''].filter(Boolean);
    return `${f.displayName}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  });
  lines.push(`  functions: ${fns.join(', ') || 'none'}`);
  for (const s of runner.scheduler.upcoming()) {
    lines.push(`  ${s.source}: ${s.expression}${s.timezone ? ` in ${s.timezone}` : ''}, next ${s.next !== undefined ? new Date(s.next).toISOString() : 'never'}`);
  }
  for (const rule of m.rules.filter((r) => r.pattern)) lines.push(`  rule ${rule.displayName} on bus ${rule.busName}: ${JSON.stringify(rule.pattern)}`);
  const skipped = m.unsupported.filter((u) => u.skippedFunction);
  if (skipped.length > 0) {
    lines.push(`  NOT RUN HERE (the rest of the app runs without them; a call to one fails and logs why):`);
    for (const u of skipped) lines.push(`      ${u.stackName}/${u.logicalId} (${u.type}): ${u.reason}`);
  }
  const notEmulated = m.unsupported.filter((u) => !u.skippedFunction);
  if (notEmulated.length > 0) {
    lines.push(`  NOT EMULATED (started with --allow-unsupported):`);
    for (const u of notEmulated) lines.push(`      ${u.stackName}/${u.logicalId} (${u.type}): ${u.reason}`);
  }
  const inert = new Map<string, number>();
  for (const r of m.inert) inert.set(`${r.type} (${r.reason})`, (inert.get(`${r.type} (${r.reason})`) ?? 0) + 1);
  if (inert.size > 0) {
    lines.push(`  no local effect, not emulated: ${[...inert].map(([k, n]) => `${n} x ${k}`).join('; ')}`);
  }
  for (const line of runner.auth.report()) lines.push(`  ${line}`);
  for (const note of m.notes) lines.push(`  note: ${note}`);
  lines.push('Try:');
  for (const url of runner.urlsToTry()) lines.push(`  ${url}`);
  lines.push('Ctrl-C stops the runner and prints a summary.');
  return lines.join('\n');
}

/** The SQS endpoint and queues, topics, and each event source mapping with its settings. */
function messagingReport(runner: LocalRunner): string[] {
  const m = runner.model;
  const lines: string[] = [];
  if (m.queues.length > 0) lines.push(`  SQS endpoint (AWS JSON protocol): ${runner.sqsEndpoint}, queues: ${m.queues.map((q) => q.displayName).join(', ')}`);
  for (const t of m.topics) {
    const delivered = t.subscriptions.filter((s) => s.protocol === 'lambda' || s.protocol === 'sqs').length;
    const others = t.subscriptions.filter((s) => s.protocol !== 'lambda' && s.protocol !== 'sqs').map((s) => s.protocol);
    lines.push(`  SNS topic ${t.displayName}: ${delivered} lambda/sqs subscription(s)${others.length ? `; ${others.join(', ')} not delivered locally` : ''}`);
  }
  for (const e of m.eventSourceMappings) {
    const source = e.kind === 'sqs' ? `sqs ${m.queues.find((q) => q.arn === e.eventSourceArn)?.displayName ?? e.eventSourceArn}` : `stream ${m.tables.find((t) => t.streamArn === e.eventSourceArn)?.displayName ?? e.eventSourceArn}`;
    const fn = runner.functions.resolve(e.functionName)?.spec.displayName ?? e.functionName;
    const settings = [`batch ${e.batchSize}`, e.maximumBatchingWindowSeconds ? `window ${e.maximumBatchingWindowSeconds} s` : '', e.reportBatchItemFailures ? 'partial batch responses' : '', e.filters.length ? `${e.filters.length} filter(s)` : '', e.maximumConcurrency ? `max concurrency ${e.maximumConcurrency}` : '', e.enabled ? '' : 'DISABLED'].filter(Boolean);
    lines.push(`  event source ${source} -> ${fn} (${settings.join(', ')})`);
  }
  return lines;
}
