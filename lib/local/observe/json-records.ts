// Lines in the JSON log format (`--log-format json`), so a tool reading the output parses every line.

/** A runner line in the JSON log format, so a tool reading the output parses every line. */
export function runnerRecord(message: string, now: number): string {
  return JSON.stringify({ time: new Date(now).toISOString(), type: 'runner', message });
}

/** A function's JSON record with the function it came from; a line the handler wrote raw is wrapped as a message. */
export function functionRecord(functionName: string, text: string): string {
  try {
    const record = JSON.parse(text) as unknown;
    if (record !== null && typeof record === 'object' && !Array.isArray(record)) return JSON.stringify({ ...record, function: functionName });
  } catch {
    // Not JSON: the handler wrote to stdout directly.
  }
  return JSON.stringify({ timestamp: new Date().toISOString(), level: 'INFO', message: text, function: functionName });
}
