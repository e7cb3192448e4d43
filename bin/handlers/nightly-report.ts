import type { ScheduledEvent } from 'aws-lambda';

/** The nightly job: summarises the previous day (UTC) and logs the report as one JSON line. */
export const handler = async (event: Partial<ScheduledEvent>): Promise<{ day: string }> => {
  const now = event.time ? new Date(event.time) : new Date();
  const yesterday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  const day = yesterday.toISOString().slice(0, 10);
  console.log(JSON.stringify({ message: 'nightly report', day }));
  return { day };
};
