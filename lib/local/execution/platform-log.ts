import type { RunOutcome } from './environment';
import type { LogFormat } from './protocol';

/** The figures of a REPORT line. */
export interface ReportFigures {
  readonly requestId: string;
  readonly durationMs: number;
  /** INIT of a cold on-demand invocation (billed since August 2025), absent when warm. */
  readonly initMs?: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb?: number;
  readonly status: 'success' | 'error' | 'timeout';
  readonly errorType?: string;
}

/**
 * The lines Lambda itself writes to a function's log (not the handler): INIT_START, START, END, REPORT,
 * INIT_REPORT on a failed INIT and the timeout notice, in the text format CloudWatch shows or as the JSON
 * format's platform records (`platform.start`, `platform.report`, ...).
 */
export class PlatformLog {
  constructor(private readonly format: LogFormat, private readonly write: (environmentId: string, text: string) => void) {}

  initStart(environmentId: string, o: { runtimeVersion: string; runtimeVersionArn: string; initializationType: string; functionName: string; functionVersion: string }): void {
    this.line(environmentId, `INIT_START Runtime Version: ${o.runtimeVersion}\tRuntime Version ARN: ${o.runtimeVersionArn}`, 'platform.initStart', {
      initializationType: o.initializationType, phase: 'init', runtimeVersion: o.runtimeVersion, runtimeVersionArn: o.runtimeVersionArn,
      functionName: o.functionName, functionVersion: o.functionVersion,
    });
  }

  initFailed(environmentId: string, initMs: number, errorType: string): void {
    this.line(environmentId, `INIT_REPORT Init Duration: ${initMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${errorType}`, 'platform.initReport', {
      initializationType: 'on-demand', phase: 'init', status: 'error', errorType, metrics: { durationMs: round(initMs) },
    });
  }

  start(environmentId: string, requestId: string, version: string): void {
    this.line(environmentId, `START RequestId: ${requestId} Version: ${version}`, 'platform.start', { requestId, version });
  }

  timedOut(environmentId: string, requestId: string, timeoutMs: number): void {
    // In the JSON format the timeout shows as the report's status only.
    if (this.format === 'text') this.write(environmentId, `${new Date().toISOString()} ${requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }

  /** The environment died under the request (crash, out of memory): Lambda logs the runtime's exit. */
  runtimeExited(environmentId: string, requestId: string, exit: string): void {
    if (this.format === 'text') this.write(environmentId, `RequestId: ${requestId} Error: Runtime exited with error: ${exit}\rRuntime.ExitError`);
  }

  end(environmentId: string, requestId: string): void {
    if (this.format === 'text') this.write(environmentId, `END RequestId: ${requestId}`);
  }

  /** END and REPORT of an invocation, and before them what Lambda logs when it timed out or the runtime died. */
  invocationEnded(environmentId: string, o: {
    requestId: string; outcome: RunOutcome; durationMs: number; timeoutMs: number; memorySizeMb: number; maxMemoryUsedMb?: number; initMs?: number;
  }): void {
    const { requestId, outcome } = o;
    const lost = outcome.kind === 'error' && outcome.environmentLost;
    if (outcome.kind === 'timeout') this.timedOut(environmentId, requestId, o.timeoutMs);
    if (outcome.kind === 'error' && outcome.exit) this.runtimeExited(environmentId, requestId, outcome.exit);
    this.end(environmentId, requestId);
    this.report(environmentId, {
      requestId,
      durationMs: outcome.kind === 'timeout' ? o.timeoutMs : o.durationMs,
      ...(o.initMs !== undefined ? { initMs: o.initMs } : {}),
      memorySizeMb: o.memorySizeMb,
      ...(o.maxMemoryUsedMb !== undefined ? { maxMemoryUsedMb: o.maxMemoryUsedMb } : {}),
      status: outcome.kind === 'timeout' ? 'timeout' : lost ? 'error' : 'success',
      ...(outcome.kind === 'timeout' ? { errorType: 'Sandbox.Timedout' } : lost ? { errorType: 'Runtime.ExitError' } : {}),
    });
  }

  report(environmentId: string, r: ReportFigures): void {
    const billed = Math.ceil(r.durationMs + (r.initMs ?? 0));
    const used = r.maxMemoryUsedMb ?? 0;
    const fields = [
      `REPORT RequestId: ${r.requestId}`, `Duration: ${r.durationMs.toFixed(2)} ms`, `Billed Duration: ${billed} ms`,
      `Memory Size: ${r.memorySizeMb} MB`, `Max Memory Used: ${used} MB`,
      ...(r.initMs !== undefined ? [`Init Duration: ${r.initMs.toFixed(2)} ms`] : []),
      ...(r.status !== 'success' ? [`Status: ${r.status}`] : []),
      ...(r.errorType ? [`Error Type: ${r.errorType}`] : []),
    ];
    this.line(environmentId, fields.join('\t') + '\t', 'platform.report', {
      requestId: r.requestId,
      metrics: {
        durationMs: round(r.durationMs), billedDurationMs: billed, memorySizeMB: r.memorySizeMb, maxMemoryUsedMB: used,
        ...(r.initMs !== undefined ? { initDurationMs: round(r.initMs) } : {}),
      },
      status: r.status,
      ...(r.errorType ? { errorType: r.errorType } : {}),
    });
  }

  private line(environmentId: string, text: string, type: string, record: Record<string, unknown>): void {
    this.write(environmentId, this.format === 'text' ? text : JSON.stringify({ time: new Date().toISOString(), type, record }));
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
