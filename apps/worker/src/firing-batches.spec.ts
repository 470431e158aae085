import { FireTimerCommand, type WriteResult } from '@app/cases';
import { FiringBatches } from './firing-batches';

const result = (appended: number): WriteResult => ({
  status: 200,
  body: {},
  caseId: 'c',
  version: 1,
  replayed: false,
  appended,
});
const timer = (caseId: string, id: string) => new FireTimerCommand(caseId, id, `t.${caseId}.${id}`);

describe('FiringBatches', () => {
  it('fires the timers submitted together as one batch, and answers each with its own outcome', async () => {
    const batches: string[][] = [];
    const firing = new FiringBatches(async (timers) => {
      batches.push(timers.map((t) => t.timer));
      return timers.map((t) =>
        t.timer === 'bad'
          ? { status: 'rejected' as const, reason: new Error('refused') }
          : { status: 'fulfilled' as const, value: result(t.timer.length) },
      );
    });
    const outcomes = await Promise.allSettled([
      firing.submit(timer('a', 'x')),
      firing.submit(timer('b', 'yy')),
      firing.submit(timer('c', 'bad')),
    ]);
    expect(batches).toEqual([['x', 'yy', 'bad']]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.appended : (o.reason as Error).message))).toEqual([
      1,
      2,
      'refused',
    ]);
  });

  it('holds a case once per batch: its second timer waits for the next batch, as do timers that come while one is in flight', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const firing = new FiringBatches(async (timers) => {
      batches.push(timers.map((t) => `${t.caseId}/${t.timer}`));
      if (batches.length === 1) await first;
      return timers.map(() => ({ status: 'fulfilled' as const, value: result(1) }));
    }, 1);
    const done = [
      firing.submit(timer('a', 'warning')),
      firing.submit(timer('a', 'breach')),
      firing.submit(timer('b', 'w')),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    done.push(firing.submit(timer('c', 'w')));
    release();
    await Promise.all(done);
    expect(batches).toEqual([
      ['a/warning', 'b/w'],
      ['a/breach', 'c/w'],
    ]);
  });

  it('runs a second batch while one is in flight, never with a case of the one in flight', async () => {
    const batches: string[][] = [];
    const releases: (() => void)[] = [];
    const firing = new FiringBatches(async (timers) => {
      batches.push(timers.map((t) => `${t.caseId}/${t.timer}`));
      await new Promise<void>((resolve) => releases.push(resolve));
      return timers.map(() => ({ status: 'fulfilled' as const, value: result(1) }));
    }, 2);
    const done = [firing.submit(timer('a', 'warning')), firing.submit(timer('b', 'w'))];
    await new Promise((resolve) => setImmediate(resolve));
    done.push(firing.submit(timer('a', 'breach')), firing.submit(timer('c', 'w')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([['a/warning', 'b/w'], ['c/w']]);
    releases[0]();
    await done[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches[2]).toEqual(['a/breach']);
    for (const release of releases) release();
    await new Promise((resolve) => setImmediate(resolve));
    for (const release of releases) release();
    await Promise.all(done);
  });

  it('fails every timer of a batch whose firing failed as a whole (each job is then retried), and fires the next batch', async () => {
    let calls = 0;
    const firing = new FiringBatches(async (timers) => {
      if (++calls === 1) throw new Error('connection lost');
      return timers.map(() => ({ status: 'fulfilled' as const, value: result(1) }));
    });
    const outcomes = await Promise.allSettled([firing.submit(timer('a', 'x')), firing.submit(timer('b', 'y'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await expect(firing.submit(timer('a', 'x'))).resolves.toMatchObject({ appended: 1 });
  });
});
