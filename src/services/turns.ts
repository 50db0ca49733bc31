/**
 * Long computations in turns. A computation written as a generator that `yield`s at points
 * where it may pause (its state consistent, no storage cursor open) can be run at once, or in
 * turns of a few milliseconds with the event loop free in between, so that one long answer
 * (a whole dataflow's availability: close to a second on a large dataflow) does not make every
 * other request wait behind it. Node runs JavaScript on one thread: a request that computes for a
 * second holds up every other one for that second.
 */

/** A computation that pauses with `yield` and returns its result. */
export type Pausable<T> = Generator<void, T, void>;

/** How long a turn lasts before the event loop gets its turn (ms). */
export const TURN_MS = 10;

/** Runs the computation to its end without pausing (for callers that cannot wait). */
export function runAtOnce<T>(computation: Pausable<T>): T {
  for (;;) {
    const step = computation.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs the computation in turns of about `turnMs`, yielding to the event loop between them.
 * `now` (ms) measures the turns: the process's monotonic clock, or a test's.
 */
export async function runInTurns<T>(computation: Pausable<T>, turnMs = TURN_MS, now: () => number = () => performance.now()): Promise<T> {
  let turnStarted = now();
  for (;;) {
    const step = computation.next();
    if (step.done) return step.value;
    if (now() - turnStarted >= turnMs) {
      // setImmediate: after the I/O callbacks waiting now (other requests), before any timer.
      await new Promise<void>((resolve) => setImmediate(resolve));
      turnStarted = now();
    }
  }
}
