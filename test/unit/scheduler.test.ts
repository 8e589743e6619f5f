/**
 * How the server schedules validation: at once on opening, after a pause in typing on a change, one
 * run per burst; and how a run in slices gives up when its version is stale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import { runInSlices, ValidationScheduler, VALIDATE_DELAY_MS } from '../../server/src/server/scheduler';

/** Timers that fire only when told, recording the delay each was set with. */
function fakeTimers() {
  let next = 1;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  const timer = {
    set: (fn: () => void, ms: number) => {
      const id = next++;
      pending.set(id, { fn, ms });
      return id as unknown as ReturnType<typeof setTimeout>;
    },
    clear: (t: ReturnType<typeof setTimeout>) => void pending.delete(t as unknown as number),
  };
  const delays = () => [...pending.values()].map((p) => p.ms);
  const fireAll = () => {
    const all = [...pending.values()];
    pending.clear();
    all.forEach((p) => p.fn());
  };
  return { timer, delays, fireAll };
}

/** A scheduler on fake timers that records the versions it runs. */
function scheduled() {
  const t = fakeTimers();
  const runs: string[] = [];
  const s = new ValidationScheduler<{ uri: string; v: number }>(
    (d) => runs.push(`${d.uri}@${d.v}`),
    VALIDATE_DELAY_MS,
    t.timer,
  );
  return { t, runs, s };
}

test('scheduler: an opened document is analysed at once, a changed one after the pause', () => {
  const { t, runs, s } = scheduled();
  // TextDocuments reports the opening as the first change
  s.changed({ uri: 'a', v: 1 });
  assert.deepEqual(t.delays(), [0]);
  t.fireAll();
  assert.deepEqual(runs, ['a@1']);
  s.changed({ uri: 'a', v: 2 });
  assert.deepEqual(t.delays(), [VALIDATE_DELAY_MS]);
});

test('scheduler: a burst of changes ends in one run, of the last version; documents do not cancel each other', () => {
  const { t, runs, s } = scheduled();
  s.changed({ uri: 'a', v: 1 });
  s.changed({ uri: 'b', v: 1 });
  t.fireAll();
  for (let v = 2; v <= 6; v++) s.changed({ uri: 'a', v });
  s.changed({ uri: 'b', v: 2 });
  assert.deepEqual(t.delays(), [VALIDATE_DELAY_MS, VALIDATE_DELAY_MS]);
  t.fireAll();
  assert.deepEqual(runs, ['a@1', 'b@1', 'a@6', 'b@2']);
});

test('scheduler: a document changed before its opening run is analysed once; the change keeps the pause', () => {
  const { t, runs, s } = scheduled();
  s.changed({ uri: 'a', v: 1 });
  s.changed({ uri: 'a', v: 2 });
  assert.deepEqual(t.delays(), [VALIDATE_DELAY_MS]);
  t.fireAll();
  assert.deepEqual(runs, ['a@2']);
});

test('scheduler: closing drops the pending run, and the next opening is analysed at once again', () => {
  const { t, runs, s } = scheduled();
  s.changed({ uri: 'a', v: 1 });
  t.fireAll();
  s.changed({ uri: 'a', v: 2 });
  s.closed('a');
  assert.deepEqual(t.delays(), []);
  s.changed({ uri: 'a', v: 1 });
  assert.deepEqual(t.delays(), [0]);
  t.fireAll();
  assert.deepEqual(runs, ['a@1', 'a@1']);
});

test('scheduler: schedule() re-analyses an open document after the pause (settings or included files changed)', () => {
  const { t, runs, s } = scheduled();
  s.changed({ uri: 'a', v: 1 });
  s.schedule({ uri: 'a', v: 1 });
  assert.deepEqual(t.delays(), [VALIDATE_DELAY_MS]);
  t.fireAll();
  assert.deepEqual(runs, ['a@1']);
});

test('runInSlices: runs the steps to their result; gives up, closing the generator, once stale', async () => {
  function* steps(log: string[]): Generator<void, string, void> {
    try {
      for (let i = 0; i < 3; i++) {
        log.push(`step ${i}`);
        yield;
      }
      return 'done';
    } finally {
      log.push('closed');
    }
  }
  const log1: string[] = [];
  assert.equal(await runInSlices(steps(log1), () => false, 0), 'done');
  assert.deepEqual(log1, ['step 0', 'step 1', 'step 2', 'closed']);
  const log2: string[] = [];
  let checks = 0;
  assert.equal(await runInSlices(steps(log2), () => ++checks >= 2, 0), undefined);
  assert.deepEqual(log2, ['step 0', 'step 1', 'closed']);
});

test('runInSlices without setImmediate (a browser worker) gives way through a MessageChannel, not a clamped setTimeout', () => {
  // a fresh process where setImmediate does not exist, as in a web worker
  const script = `
    delete globalThis.setImmediate;
    let timeouts = 0;
    const realTimeout = setTimeout;
    globalThis.setTimeout = (fn, ms) => { timeouts++; return realTimeout(fn, ms); };
    const { runInSlices } = require(${JSON.stringify(require.resolve('../../server/src/server/scheduler'))});
    function* steps() { for (let i = 0; i < 5; i++) { const t = Date.now(); while (Date.now() - t < 3); yield; } return 'done'; }
    runInSlices(steps(), () => false, 1).then((r) => { console.log(JSON.stringify({ r, timeouts })); process.exit(0); });`;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { r: 'done', timeouts: 0 });
});
