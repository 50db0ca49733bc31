/** The failed-auth throttle alone: free failures, a growing delay, lockout, and forgetting. */
import t from 'tap';
import { fixedClock } from '../../src/clock.js';
import { FailedAuthThrottle } from '../../src/auth/failed-auth-throttle.js';

const T0 = '2026-03-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

t.test('five free failures, then 250 ms more per failure up to 2 s, then a 15-minute lockout', async (t) => {
  const clock = fixedClock(T0);
  const throttle = new FailedAuthThrottle(clock);
  const delays: number[] = [];
  for (let i = 0; i < 20; i++) {
    const verdict = throttle.check('a');
    t.equal(verdict.locked, false, `attempt ${i + 1} is not locked`);
    if (!verdict.locked) delays.push(verdict.delayMs);
    throttle.failed('a');
  }
  t.same(delays, [0, 0, 0, 0, 0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000]);
  t.same(throttle.check('a'), { locked: true, retryAfterSeconds: 900 });
  clock.set(at(14 * 60_000 + 30_500));
  t.same(throttle.check('a'), { locked: true, retryAfterSeconds: 30 });
  clock.set(at(15 * 60_000));
  t.same(throttle.check('a'), { locked: false, delayMs: 0 }, 'a served lockout starts afresh');
});

t.test('failures older than the window are forgotten', async (t) => {
  const clock = fixedClock(T0);
  const throttle = new FailedAuthThrottle(clock);
  for (let i = 0; i < 6; i++) throttle.failed('a');
  t.same(throttle.check('a'), { locked: false, delayMs: 500 });
  clock.set(at(15 * 60_000));
  t.same(throttle.check('a'), { locked: false, delayMs: 0 });
});

t.test('clients are counted apart; a success clears only its own client', async (t) => {
  const throttle = new FailedAuthThrottle(fixedClock(T0));
  for (let i = 0; i < 7; i++) throttle.failed('a');
  for (let i = 0; i < 7; i++) throttle.failed('b');
  throttle.succeeded('b');
  t.same(throttle.check('a'), { locked: false, delayMs: 750 });
  t.same(throttle.check('b'), { locked: false, delayMs: 0 });
});

t.test('settings are configurable', async (t) => {
  const throttle = new FailedAuthThrottle(fixedClock(T0), { settings: { freeFailures: 1, delayStepMs: 100, maxDelayMs: 150, lockAfter: 3, lockMs: 1000 } });
  throttle.failed('a');
  t.same(throttle.check('a'), { locked: false, delayMs: 100 });
  throttle.failed('a');
  t.same(throttle.check('a'), { locked: false, delayMs: 150 });
  throttle.failed('a');
  t.same(throttle.check('a'), { locked: true, retryAfterSeconds: 1 });
});
