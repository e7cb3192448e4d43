import { readCostedFunctions } from '../../lib/cost/app-functions';
import { writeCostApp } from './handmade-app';

const app = writeCostApp();
afterAll(() => app.remove());
const functions = readCostedFunctions(app.directory, undefined, 'us-east-1');
const named = (id: string) => functions.find((f) => f.logicalId === id)!;

describe('reading the functions of an assembly', () => {
  test('every function, with memory, architecture, runtime and package type', () => {
    expect(functions.map((f) => f.logicalId).sort()).toEqual(['Auto', 'Consumer', 'Fixed', 'Image', 'Nightly', 'Scheduled', 'Warmed', 'WarmerFn']);
    expect(named('Fixed')).toMatchObject({ memoryMb: 1024, architecture: 'arm64', runtime: 'nodejs24.x', packageType: 'Zip' });
    expect(named('Warmed')).toMatchObject({ memoryMb: 512, architecture: 'x86_64' });
    expect(named('Image')).toMatchObject({ packageType: 'Image', runtime: 'container image', memoryMb: 2048 });
  });

  test('provisioned concurrency: fixed on the alias, scheduled and autoscaled through Application Auto Scaling', () => {
    expect(named('Fixed').provisioned).toEqual({ mode: 'fixed', minCapacity: 4, maxCapacity: 4, schedules: [] });
    expect(named('Scheduled').provisioned).toEqual({
      mode: 'scheduled', minCapacity: 2, maxCapacity: 2,
      schedules: [
        { name: 'Day', expression: 'cron(0 8 ? * MON-FRI *)', minCapacity: 6, maxCapacity: 6 },
        { name: 'Evening', expression: 'cron(0 18 ? * MON-FRI *)', minCapacity: 2, maxCapacity: 2 },
      ],
    });
    // The scalable target's bounds replace the alias's initial allocation rather than adding to it.
    expect(named('Auto').provisioned).toEqual({ mode: 'autoscaled', minCapacity: 1, maxCapacity: 8, utilizationTarget: 0.6, schedules: [] });
    expect(named('Warmed').provisioned).toBeUndefined();
  });

  test("the Warmer's rules: the schedule and concurrency its input names, attributed to the target", () => {
    expect(named('Warmed').warming).toEqual([{ name: 'Day', expression: 'cron(0/5 8-17 ? * MON-FRI *)', concurrency: 7 }]);
    expect(named('WarmerFn').warming).toEqual([]);
  });

  test('schedule-only functions: invoked by schedules and nothing else the template shows', () => {
    expect(named('Nightly')).toMatchObject({ onlyScheduled: true, scheduledBy: [{ expression: 'cron(30 1 * * ? *)', timezone: 'UTC' }] });
    expect(named('WarmerFn')).toMatchObject({ onlyScheduled: true });
    // An API Gateway permission makes it a request-serving function.
    expect(named('Warmed').onlyScheduled).toBe(false);
    expect(named('Fixed')).toMatchObject({ onlyScheduled: false, scheduledBy: [] });
  });

  test('asynchronous-only functions: schedules, rules, queues; an API or no visible invoker means a caller may wait', () => {
    expect(['Nightly', 'WarmerFn', 'Consumer'].map((id) => named(id).onlyAsynchronous)).toEqual([true, true, true]);
    expect(named('Consumer').onlyScheduled).toBe(false);
    // API Gateway waits on the response; a function with no visible invoker may be called through the SDK.
    expect(['Warmed', 'Fixed'].map((id) => named(id).onlyAsynchronous)).toEqual([false, false]);
  });
});
