/**
 * Runs `run` once, after the current turn of the event loop, however often it is requested before then: so
 * the messages of one SendMessageBatch, or the records of one write, reach a poller as one batch. Each run is
 * handed to `track` (the runner's settled() waits for it).
 */
export class NextTurn {
  private queued = false;

  constructor(private readonly run: () => void, private readonly track: (work: Promise<void>) => void) {}

  request(): void {
    if (this.queued) return;
    this.queued = true;
    this.track(new Promise<void>((resolve) => setImmediate(() => {
      this.queued = false;
      this.run();
      resolve();
    })));
  }
}
