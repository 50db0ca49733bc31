/**
 * Long computations in turns (src/services/turns.ts): at once, the same result with no pause;
 * in turns, the event loop runs other work between turns, and the result is the same.
 */
import t from 'tap';
import { runAtOnce, runInTurns, type Pausable } from '../../src/services/turns.js';

function* counting(steps: number, log: string[]): Pausable<number> {
  let sum = 0;
  for (let i = 1; i <= steps; i++) {
    sum += i;
    log.push(`step ${i}`);
    yield;
  }
  return sum;
}

t.test('at once: the whole computation, nothing else in between', async (t) => {
  const log: string[] = [];
  setImmediate(() => log.push('other work'));
  t.equal(runAtOnce(counting(5, log)), 15);
  t.same(log, ['step 1', 'step 2', 'step 3', 'step 4', 'step 5']);
});

t.test('in turns: other work runs between turns; the result is the same', async (t) => {
  const log: string[] = [];
  setImmediate(() => log.push('other work'));
  // A turn of 0 ms ends at every pause point.
  t.equal(await runInTurns(counting(3, log), 0), 6);
  t.same(log, ['step 1', 'other work', 'step 2', 'step 3']);
});

t.test('in turns of a few ms: pauses only once a turn has lasted that long', async (t) => {
  // A clock that advances 1 ms each time it is read: a turn of 10 ms is ten reads, whatever the
  // machine is doing (a test that measures real time fails on a busy machine).
  let ms = 0;
  const clock = () => (ms += 1);
  function* steps(n: number): Pausable<number> {
    for (let i = 0; i < n; i++) yield;
    return n;
  }
  let turnsBetween = 0;
  let done = false;
  const tick = () => {
    turnsBetween += 1;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const pausePoints = await runInTurns(steps(100), 10, clock);
  done = true;
  t.equal(pausePoints, 100);
  // Each pause point reads the clock once; a turn ends every 10 reads, 10 turns in all.
  t.ok(turnsBetween >= 9 && turnsBetween <= 11, `the loop ran between turns (${turnsBetween} times), not at every pause point (100)`);
});

t.test('an error thrown by the computation reaches the caller', async (t) => {
  function* failing(): Pausable<number> {
    yield;
    throw new Error('bad data');
  }
  await t.rejects(runInTurns(failing(), 0), /bad data/);
  t.throws(() => runAtOnce(failing()), /bad data/);
});
