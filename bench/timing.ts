/**
 * Timing helpers of the benchmarks: medians after a warm-up, so that what is measured is code the JIT
 * has compiled (bench/run.ts and the shapes, bench/shapes.ts, which runs in processes of its own).
 */

const QUICK = !!process.env.BENCH_QUICK;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export function now(): bigint {
  return process.hrtime.bigint();
}

export function since(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Unmeasured warm-up: at least this many runs and this long (ms), but no longer than the cap, so that
 * the JIT has compiled the code before it is measured, on small inputs too (the full analysis runs
 * dozens of functions once per call: it takes about a hundred calls to be compiled).
 */
export const WARMUP_RUNS = QUICK ? 20 : 100;
export const WARMUP_MS = QUICK ? 100 : 300;
export const WARMUP_CAP_MS = QUICK ? 500 : 2000;

/** Ms of one call. */
export function timeOnce(fn: () => unknown): number {
  const t0 = now();
  fn();
  return since(t0);
}

/** A clock in ms: wall time, or the CPU time of this process (user and system, every thread). */
export type Clock = () => number;

const wallClock: Clock = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * CPU time: what this process's threads ran (the JIT's and the garbage collector's included), not the
 * time it waited for a core. On a machine busy with other work, wall times of the same call vary by
 * factors of two and more; CPU times vary far less.
 */
export const cpuClock: Clock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Median ms of `runs` runs after warming up: at least `warmup` unmeasured runs, and more until both
 * {@link WARMUP_RUNS} runs and {@link WARMUP_MS} ms are reached, or `capMs` ms (by default
 * {@link WARMUP_CAP_MS}) have passed. Every measured function (ours and jsonc-parser's) gets the same
 * treatment, so a ratio compares code the JIT has optimised on both sides. The runs are timed by `clock`
 * (wall time unless told).
 */
export function timeIt(fn: () => unknown, runs: number, warmup = 2, capMs = WARMUP_CAP_MS, clock = wallClock): number {
  return timeRuns(fn, runs, warmup, capMs, clock).median;
}

/**
 * {@link timeIt}, with the mean of the same runs too. A run that happens to include a garbage
 * collection of the young generation takes longer than one that does not (at 10k lines, about a third
 * of the analyses do): the median is the typical run, the mean spreads the collections over all runs.
 */
export function timeRuns(
  fn: () => unknown,
  runs: number,
  warmup = 2,
  capMs = WARMUP_CAP_MS,
  clock = wallClock,
): { median: number; mean: number } {
  const w0 = now();
  for (let i = 0; i < warmup || ((i < WARMUP_RUNS || since(w0) < WARMUP_MS) && since(w0) < capMs); i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = clock();
    fn();
    xs.push(clock() - t0);
  }
  return { median: median(xs), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
}
