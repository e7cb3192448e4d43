/*
 * Conformance: a function's log as CloudWatch shows it, in Lambda's text format and its JSON format. The runner
 * prints each line of a function indented under `[<function>#<environment>]`; `--log-format json` prints one JSON
 * object a line. Each test cites the AWS documentation page whose behaviour it asserts.
 */
import { node24Path } from '../../node24/interpreter';
import { startProbeApp } from './support/probe-app';

const on24 = node24Path() ? test : test.skip;
const fn = (handler: string, timeout = 3) => ({ code: 'handlers', handler: `index.${handler}`, runtime: 'nodejs24.x', timeout });
const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

/** The lines a function logged, without the runner's `  [Name#n] ` prefix. */
function functionLines(lines: string[]): string[] {
  return lines.filter((l) => /^ {2}\[/.test(l)).map((l) => l.replace(/^ {2}\[[^\]]+\] /, ''));
}

describe('text format', () => {
  let app: Awaited<ReturnType<typeof startProbeApp>>;
  beforeAll(async () => {
    app = await startProbeApp({ Fails: fn('throwsTypeError'), Logs: fn('logs'), Slow: fn('sleeps', 1) });
  }, 60_000);
  afterAll(() => app?.close());

  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html — INIT_START, START, END and REPORT lines
  // around the function's own lines; a failure logs `Invoke Error` with the error's type, message and stack.
  on24('a failing handler: START, its lines, the Invoke Error document, END and a REPORT with durations and memory', async () => {
    const result = await app.runner.invoke('Fails', {});
    const id = result.facts.requestId;
    const lines = functionLines(app.lines);
    expect(lines[0]).toMatch(/^INIT_START Runtime Version: nodejs:24\.\S+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:\S+$/);
    expect(lines.slice(1, 3)).toEqual([`START RequestId: ${id} Version: $LATEST`, expect.stringMatching(new RegExp(`^${ISO}\\t${id}\\tERROR\\tabout to fail$`))]);
    const [, document] = /^\S+\t\S+\tERROR\tInvoke Error \t(.*)$/.exec(lines[3]) ?? [];
    expect(JSON.parse(document)).toEqual({
      errorType: 'TypeError', errorMessage: 'the order has no id',
      stack: expect.arrayContaining(['TypeError: the order has no id', expect.stringMatching(/^ {4}at /)]),
    });
    expect(lines[4]).toBe(`END RequestId: ${id}`);
    expect(lines[5]).toMatch(new RegExp(`^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: [1-9]\\d* MB\\tInit Duration: \\d+\\.\\d{2} ms\\t$`));
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html — each console method has its level; a
  // message of several lines stays one log event.
  on24('console.log/info → INFO, warn → WARN, error → ERROR, debug → DEBUG, each with the request id', async () => {
    const before = app.lines.length;
    const { facts } = await app.runner.invoke('Logs', {});
    const text = app.lines.slice(before).join('\n');
    for (const [level, message] of [['INFO', 'an info line'], ['WARN', 'a warning'], ['ERROR', 'an error'], ['DEBUG', 'a debug line']]) {
      expect(text).toMatch(new RegExp(`\\] ${ISO}\\t${facts.requestId}\\t${level}\\t${message}\\n`));
    }
    // One event, shown on two lines under the same prefix.
    expect(text).toMatch(new RegExp(`\\] ${ISO}\\t${facts.requestId}\\tINFO\\ttwo\\n {6}lines\\n`));
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html — a request that runs past the
  // timeout is logged as `Task timed out after N.NN seconds`, and its REPORT says so.
  on24('a timeout: "Task timed out after 1.00 seconds" and a REPORT with Status: timeout', async () => {
    const before = app.lines.length;
    const { facts } = await app.runner.invoke('Slow', { ms: 10_000 });
    const lines = functionLines(app.lines.slice(before));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${ISO} ${facts.requestId} Task timed out after 1\\.00 seconds$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^REPORT RequestId: ${facts.requestId}\\tDuration: 1000\\.00 ms\\t.*\\tStatus: timeout\\t`)));
  });
});

// https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html — a function whose
// LoggingConfig says JSON logs JSON records whatever the others do; ApplicationLogLevel DEBUG keeps debug lines.
on24('a function with LoggingConfig JSON logs JSON records, down to its ApplicationLogLevel', async () => {
  const app = await startProbeApp({ LogsJson: { ...fn('logs'), extra: { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG' } } } });
  try {
    const { facts } = await app.runner.invoke('LogsJson', {});
    const records = functionLines(app.lines).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ level: 'DEBUG', requestId: facts.requestId, message: 'a debug line' }));
    expect(records).toContainEqual(expect.objectContaining({ type: 'platform.start', record: { requestId: facts.requestId, version: '$LATEST' } }));
  } finally {
    await app.close();
  }
});

describe('JSON format', () => {
  let app: Awaited<ReturnType<typeof startProbeApp>>;
  beforeAll(async () => {
    app = await startProbeApp({ Fails: fn('throwsTypeError'), Logs: fn('logs') }, {}, { logFormat: 'json' });
  }, 60_000);
  afterAll(() => app?.close());

  // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html — application lines
  // are {timestamp, level, requestId, message}; below the INFO level they are dropped by default; Lambda's own
  // lines are platform records (platform.start, platform.report with metrics and status).
  on24('every line is JSON: application records with level and request id, platform.start and platform.report', async () => {
    const { facts } = await app.runner.invoke('Logs', {});
    const records = app.lines.map((l) => JSON.parse(l) as Record<string, any>);
    const mine = records.filter((r) => r.requestId === facts.requestId || r.record?.requestId === facts.requestId);
    expect(mine).toContainEqual({ timestamp: expect.stringMatching(new RegExp(`^${ISO}$`)), level: 'WARN', requestId: facts.requestId, message: 'a warning', function: 'Logs' });
    expect(mine.some((r) => r.level === 'DEBUG')).toBe(false);
    expect(mine).toContainEqual(expect.objectContaining({ type: 'platform.start', record: { requestId: facts.requestId, version: '$LATEST' } }));
    expect(mine).toContainEqual(expect.objectContaining({
      type: 'platform.report',
      record: {
        requestId: facts.requestId, status: 'success',
        metrics: { durationMs: expect.any(Number), billedDurationMs: expect.any(Number), memorySizeMB: 128, maxMemoryUsedMB: expect.any(Number), initDurationMs: expect.any(Number) },
      },
    }));
    expect(records.filter((r) => r.type === 'runner').length).toBeGreaterThan(0);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html — an error logged in
  // the JSON format carries errorType, errorMessage and stackTrace.
  on24('a failure is an ERROR record with errorType, errorMessage and stackTrace', async () => {
    const { facts } = await app.runner.invoke('Fails', {});
    const failure = app.lines.map((l) => JSON.parse(l) as Record<string, any>).find((r) => r.requestId === facts.requestId && r.errorType);
    expect(failure).toMatchObject({ level: 'ERROR', errorType: 'TypeError', errorMessage: 'the order has no id', stackTrace: expect.arrayContaining(['TypeError: the order has no id']) });
    expect(failure?.message).toMatch(/^Invoke Error TypeError: the order has no id/);
  });
});
