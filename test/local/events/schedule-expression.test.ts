import { parseSchedule } from '../../../lib/local/events/schedule-expression';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
/** The next `n` firing times after `from`. */
function firings(expression: string, from: string, n: number, timezone?: string): Array<string | undefined> {
  const s = parseSchedule(expression, timezone);
  const out: Array<string | undefined> = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    const next = s.next(t, at(from));
    out.push(iso(next));
    if (next === undefined) break;
    t = next;
  }
  return out;
}

describe('AWS schedule expressions', () => {
  test('rate: one period after the start, then every period', () => {
    expect(firings('rate(5 minutes)', '2026-11-26T07:58:30Z', 3)).toEqual(['2026-11-26T08:03:30.000Z', '2026-11-26T08:08:30.000Z', '2026-11-26T08:13:30.000Z']);
    expect(firings('rate(1 day)', '2026-11-26T00:00:00Z', 1)).toEqual(['2026-11-27T00:00:00.000Z']);
  });

  test('cron with steps, ranges and day names (the warmer schedules of the example)', () => {
    expect(firings('cron(0/5 8-17 ? * MON-FRI *)', '2026-11-26T17:50:00Z', 3)).toEqual(['2026-11-26T17:55:00.000Z', '2026-11-27T08:00:00.000Z', '2026-11-27T08:05:00.000Z']);
    // Friday evening to Monday morning skips the weekend
    expect(firings('cron(0/5 8-17 ? * MON-FRI *)', '2026-11-27T17:56:00Z', 1)).toEqual(['2026-11-30T08:00:00.000Z']);
    expect(firings('cron(0/5 0-7,18-23 ? * * *)', '2026-11-26T07:56:00Z', 2)).toEqual(['2026-11-26T18:00:00.000Z', '2026-11-26T18:05:00.000Z']);
  });

  test('day-of-week numbers run 1 (SUN) to 7 (SAT); L, W and # work', () => {
    expect(firings('cron(0 12 ? * 1 *)', '2026-11-26T00:00:00Z', 1)).toEqual(['2026-11-29T12:00:00.000Z']);
    expect(firings('cron(0 9 L * ? *)', '2026-11-26T00:00:00Z', 2)).toEqual(['2026-11-30T09:00:00.000Z', '2026-12-31T09:00:00.000Z']);
    expect(firings('cron(0 9 ? * 6L *)', '2026-11-01T00:00:00Z', 1)).toEqual(['2026-11-27T09:00:00.000Z']);
    expect(firings('cron(0 9 ? * MON#1 *)', '2026-11-26T00:00:00Z', 1)).toEqual(['2026-12-07T09:00:00.000Z']);
    // 15W: the weekday nearest the 15th (Sunday 15 Nov 2026 -> Monday 16th)
    expect(firings('cron(0 9 15W * ? *)', '2026-11-01T00:00:00Z', 1)).toEqual(['2026-11-16T09:00:00.000Z']);
    expect(firings('cron(0 10 1 JAN ? 2027)', '2026-11-26T00:00:00Z', 2)).toEqual(['2027-01-01T10:00:00.000Z', undefined]);
  });

  test('a time zone shifts cron fields, daylight saving included', () => {
    expect(firings('cron(0 2 * * ? *)', '2026-11-26T01:30:00Z', 1, 'Europe/Paris')).toEqual(['2026-11-27T01:00:00.000Z']);
    expect(firings('cron(0 2 * * ? *)', '2026-06-30T23:30:00Z', 1, 'Europe/Paris')).toEqual(['2026-07-01T00:00:00.000Z']);
  });

  test('at(): once, in its time zone', () => {
    expect(firings('at(2026-12-01T10:00:00)', '2026-11-26T00:00:00Z', 2, 'Europe/Paris')).toEqual(['2026-12-01T09:00:00.000Z', undefined]);
  });

  test.each([
    ['rate(0 minutes)', /at least 1/],
    ['rate(5 weeks)', /expected rate\(value unit\)/],
    ['cron(0 8 * * *)', /has 6 fields/],
    ['cron(0 8 * * MON *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(61 8 ? * MON *)', /minutes value "61" is not in 0-59/],
    ['cron(0 8 ? FOO MON *)', /month value "FOO" is not in 1-12/],
  ])('%s is rejected with a clear message', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(message);
  });

  test('an unknown time zone is rejected', () => {
    expect(() => parseSchedule('cron(0 2 * * ? *)', 'Mars/Olympus')).toThrow(/"Mars\/Olympus" is not an IANA time zone name/);
  });
});
