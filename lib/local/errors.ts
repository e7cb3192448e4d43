/**
 * A problem with what the local runner was asked to run (the assembly, the stack, a port, a resource):
 * the CLI prints the message and exits non-zero, without a stack trace.
 */
export class LocalRunnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRunnerError';
  }
}
