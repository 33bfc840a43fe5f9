import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Timer } from '../../../src/bgp/timer';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `steps` (each: wait, then act on the timer) and returns when the timer fired, in ms from the start, or undefined. */
async function firedAt(steps: Array<[waitMs: number, act: (t: Timer) => void]>, watchMs: number): Promise<number | undefined> {
  const t0 = performance.now();
  let at: number | undefined;
  const timer = new Timer(() => { at = performance.now() - t0; });
  for (const [wait, act] of steps) {
    await sleep(wait);
    act(timer);
  }
  await sleep(watchMs - (performance.now() - t0));
  timer.stop();
  return at;
}

for (const [name, steps, want] of [
  ['fires once after the time it was started with', [[0, (t) => t.start(60)]], [55, 120]],
  ['a restart to a later time fires at the later time, not at the first', [[0, (t) => t.start(60)], [40, (t) => t.start(100)]], [135, 200]],
  ['a restart to a sooner time fires at the sooner time', [[0, (t) => t.start(200)], [0, (t) => t.start(50)]], [45, 110]],
  ['restarted on every message it never fires while messages come', [[0, (t) => t.start(80)], [30, (t) => t.start(80)], [30, (t) => t.start(80)], [30, (t) => t.start(80)], [30, (t) => t.start(80)]], [195, 270]],
  ['stop cancels it', [[0, (t) => t.start(50)], [10, (t) => t.stop()]], undefined],
  ['a start with 0 ms (Hold Time 0) leaves it stopped', [[0, (t) => t.start(50)], [10, (t) => t.start(0)]], undefined],
] as Array<[string, Array<[number, (t: Timer) => void]>, [number, number] | undefined]>) {
  test(`timer: ${name}`, async () => {
    const at = await firedAt(steps, 320);
    if (want === undefined) assert.equal(at, undefined);
    else {
      assert.ok(at !== undefined, 'it fired');
      assert.ok(at >= want[0] && at <= want[1], `fired at ${at.toFixed(1)} ms, expected ${want[0]}..${want[1]}`);
    }
  });
}

test('timer: fires once per start, and can be started again after it fired', async () => {
  let fired = 0;
  const t = new Timer(() => { fired++; });
  t.start(20);
  await sleep(60);
  assert.equal(fired, 1);
  assert.equal(t.running, false);
  t.start(20);
  await sleep(60);
  assert.equal(fired, 2);
});
