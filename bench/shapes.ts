/**
 * The shapes bench: how the time grows with the input, for each construct the parser and the analysis
 * know (bench/generate.ts SHAPES). Each shape is measured at a size N and at 8×N, for the full lint (as
 * pmta-lint runs it) and, where the shape concerns them, fix all, formatting, the outline and completion;
 * the growth ratio t(8N) / t(N) is about 8 in linear time, and more than 10 is flagged.
 *
 * N starts at the shape's own size and is doubled until one call takes {@link MIN_MS} of CPU time: at a
 * few ms, a growth ratio says more about the garbage collector, caches, the JIT and the clock's grain
 * than about the algorithm (the first version of this bench measured at those sizes and printed 13 to 58
 * for code that grows 7 to 11 times at 8× and 64× them). Each size is then measured in processes of its
 * own, as pmta-lint runs one configuration, in pairs (N, then 8×N: {@link PROCESSES}), and the growth is
 * the median of the pairs' ratios: measured in one process, turn and turn about, the small input ran in
 * a heap grown for the large one, collected less often, and came out up to twice as fast as alone,
 * which inflated the ratio. A sample counts only when a fixed piece of reference work, timed just
 * before and just after it, shows the machine at its full speed (see {@link SLOW}). Every process has a
 * time limit and a heap limit, so a shape that has become quadratic (or worse) is reported as such
 * instead of stalling the bench or taking the machine's memory. Run as a script
 * (`node out/bench/shapes.js …`), this module does one step in such a process.
 */
import { fork } from 'child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PmtaLanguageService } from '../server/src/service';
import type { IncludeHost } from '../server/src/hosts/includeHost';
import { DEFAULT_SETTINGS } from '../server/src/settings';
import { SHAPES, type Shape, type ShapeInput, type ShapeMeasure } from './generate';
import { cpuClock, median } from './timing';

const QUICK = !!process.env.BENCH_QUICK;
/** The growth factor of the input. */
const GROWTH = 8;
/** Above this growth ratio for 8× the input, a shape is flagged as superlinear. */
export const MAX_GROWTH = 10;
/**
 * Seconds one measuring process may take (BENCH_SHAPES_TIMEOUT). Its heap has Node's default limit (a
 * few GB): a lower one, given with --max-old-space-size, made V8 collect the large inputs' heaps so
 * often that they took twice the time.
 */
const TIMEOUT_S = Number(process.env.BENCH_SHAPES_TIMEOUT) || (QUICK ? 30 : 60);
/**
 * The least CPU ms one measured sample at N should take (BENCH_SHAPES_MIN_MS). Below it, N is doubled
 * (up to {@link maxSize}), and where N cannot grow, a sample is several calls. At 40 ms, many inputs
 * at N lived and died in V8's young generation while at 8×N they were copied, promoted and marked:
 * linear shapes gave ratios of 10 to 19 (blocks nested deep, lint: 19.2x at 40 ms, 6.3x at 150 ms in the
 * same session). At 150 ms both sizes are past that; the section takes about twice as long.
 */
export const MIN_MS = Number(process.env.BENCH_SHAPES_MIN_MS) || (QUICK ? 30 : 150);
/**
 * How far calibration may grow a measure's N, as a factor of the shape's own: the same for every measure.
 * Completion, formatting and the outline are asked on a document analysed first, whose analysis must
 * stay within the process's time and heap: at 8×N, 512,000 sibling blocks (analysis about 6 s, heap
 * 1.7 GB) are within both. Formatting and completion had 16 at first: sibling blocks' formatting then
 * stopped at 16,000 blocks and 21 ms a call, and grew 10.5x to 128,000 where 64,000 grew 7.7x to
 * 512,000 (in one session, one process each): at 21 ms the output of a call lives and dies in V8's young
 * generation, at 8×N it is copied and promoted. The outline stops at 5,000 symbols: its N grows past that
 * like the others' (what a large file costs it); below the cap, the sub-millisecond outlines of 600 and
 * 4,800 symbols gave ratios of 11 to 41 from the processor's caches, not from the work.
 */
const MAX_GROWTH_OF_N = 64;
/**
 * The largest text calibration may give 8×N, in MB (BENCH_SHAPES_MAX_MB): the measuring processes
 * analyse files up to that size (as `--max-file-size` lets pmta-lint). Under the default limit of
 * 10 MB, the long lines and the chains of macros stopped far short of {@link MIN_MS} at N (a line of
 * words and commas, 7.6 ms a call at 1.2 M characters): a sample at N was then a batch of calls, which
 * reused the memory of the calls before it, where one call at 8×N took fresh pages from the system,
 * and the ratio measured that (7.5x to 19.3x in three pairs of one run). At 64 MB the long lines still
 * stopped at 30 to 60 ms a call at N (the line of `{{` grew 10.17x, the line of quotes' completion
 * 12.02x in one run), so the limit is 256 MB: a long line costs little memory (a line of 32 M quotes:
 * 86 MB of resident memory), and V8's strings may hold 512 M characters.
 */
const MAX_TEXT_MB = Number(process.env.BENCH_SHAPES_MAX_MB) || 256;
/** The settings the shapes are analysed with: the size limit raised to {@link MAX_TEXT_MB}. */
const SETTINGS = { ...DEFAULT_SETTINGS, maxFileSizeKB: MAX_TEXT_MB * 1024 };

/**
 * Node's options of a measuring process: the garbage collector's work on the main thread, and `gc()`
 * (called after the analysis a request is measured on). The clock is the process's CPU time, every thread's: with the collector's helper threads, a
 * call was charged for sweeping left over by the calls before it, by chance.
 */
const EXEC_ARGV = ['--single-threaded-gc', '--expose-gc'];
/**
 * Pairs of processes each measure is taken in (BENCH_SHAPES_PROCESSES): one at N, then one at 8×N, so
 * that the two figures of a pair are taken under the same conditions of the machine. The growth is the
 * median of the pairs' ratios. From one process to the next, the same call at the same size varied by
 * a third and more (the heap's sizes and the JIT's choices are not the same in each, and the machine
 * is shared): the annotations' lint took 88 to 152 ms at N in four processes, and the line of quotes
 * 9.0 and 16.3 ms at N, 134 and 70.8 ms at 8×N, in two runs of the section, growing 14.9x and 4.3x.
 * The median of three ratios is not moved by one pair taken in a slow spell.
 */
export const PROCESSES = Number(process.env.BENCH_SHAPES_PROCESSES) || 3;

/** One measure of a shape: its size, the CPU ms of one call at N and 8×N, and the growth. */
interface Figure {
  measure: ShapeMeasure;
  /** The size measured (calibrated from the shape's N). */
  n?: number;
  /** The least CPU ms of one call at N and at 8×N over the pairs (absent when a process stopped before). */
  small?: number;
  big?: number;
  /** The growth ratio of each pair of processes, and their median. */
  ratios?: number[];
  growth?: number;
  /** Samples left out (taken while the machine ran slowly), and processes started again for that. */
  slow?: number;
  again?: number;
  /** Why the measure did not finish: an exception, the time limit, the process's death. */
  error?: string;
}

export interface ShapeResult {
  shape: Shape;
  figures: Figure[];
}

/** An include host that serves the shape's included files from memory. */
function memoryHost(input: ShapeInput): IncludeHost | undefined {
  const included = input.included;
  if (!included) return undefined;
  return {
    resolveInclude: (_from, path) => (included(path) === undefined ? [] : [`file:///shapes/${path}`]),
    readFile: (uri) => included(uri.slice('file:///shapes/'.length)),
  };
}

/** The function that does `measure` once on `input` (a new service each time where the work is the analysis). */
function task(measure: ShapeMeasure, input: ShapeInput, uri: string): () => unknown {
  const doc = TextDocument.create(uri, 'powermta', 1, input.text);
  const host = memoryHost(input);
  const context = { settings: SETTINGS };
  if (measure === 'lint') return () => new PmtaLanguageService({ host }).lint(doc, context);
  if (measure === 'fix') return () => new PmtaLanguageService({ host }).fixAll(doc, context);
  // the editor's requests: on a document already analysed, as the server answers them
  const service = new PmtaLanguageService({ host });
  service.lint(doc, context);
  // the garbage of that analysis is not the request's to collect
  (globalThis as { gc?: () => void }).gc?.();
  if (measure === 'format') return () => service.format(doc, { tabSize: 4, insertSpaces: true }, undefined, context);
  if (measure === 'outline') return () => service.documentSymbols(doc, context);
  const at = input.at ?? { line: 0, character: 0 };
  return () => service.complete(doc, at, context);
}

/** The function that does `measure` once on the shape at size `n`. */
function taskAt(shape: Shape, measure: ShapeMeasure, n: number): () => unknown {
  return task(measure, shape.make(n), `file:///shapes/${n}.pmta`);
}

/**
 * Runs `fn` unmeasured until the JIT has compiled it, to calibrate N: at least 8 calls (4 in quick mode;
 * 2 when a call takes long) and 500 ms of CPU time, at most 3 s (a call of a quarter of a second was
 * still twice too slow after one call).
 */
function warm(fn: () => unknown): void {
  const first = least(fn, 1);
  const long = first >= 4 * MIN_MS;
  const w0 = cpuClock();
  const calls = long ? 2 : QUICK ? 4 : 8;
  for (let i = 0; (i < calls || cpuClock() - w0 < 500) && cpuClock() - w0 < 3000; i++) fn();
}

/** The least CPU ms of `runs` calls of `fn`. */
function least(fn: () => unknown, runs: number): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = cpuClock();
    fn();
    min = Math.min(min, cpuClock() - t0);
  }
  return min;
}

/**
 * The machine's speed, taken between the samples: a fixed piece of work (a loop over a 112 KB string,
 * nothing allocated) whose time only the machine changes. On the 2-CPU virtual machine the bench was
 * written on, timed every 2 s through a full run of the shapes (1,477 times), it took under 1.5 ms 1,068
 * times, but 1.9 ms or more 333 times (2.57 ms in the median of those), in spells of 2 to 38 s
 * (presumably the virtual CPU sharing its core with work the machine does not see): CPU time doubles
 * with the wall time. A sample taken in such a spell is the machine's cost, not the code's.
 */
const REFERENCE_TEXT = 'host-name a.example.com # note\n'.repeat(3600);
let _referenceSink = 0;

function referenceWork(): void {
  let h = 0;
  for (let k = 0; k < 8; k++)
    for (let i = 0; i < REFERENCE_TEXT.length; i++) {
      const c = REFERENCE_TEXT.charCodeAt(i);
      h = (h * 31 + c) | 0;
      if (c === 35) h ^= i;
    }
  _referenceSink ^= h;
}

/**
 * Ms of the reference work: the least of three runs, in wall time. The process's CPU time would also
 * count the JIT compiling the measured code on a helper thread meanwhile; the wall time of three runs
 * of about 1.4 ms is the machine's speed, and doubles in a spell as the CPU time does.
 */
function referenceMs(): number {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    referenceWork();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** The least ms of the reference work in this process, once the JIT has compiled it. */
function fastestReference(): number {
  for (let i = 0; i < 100; i++) referenceWork();
  let min = Infinity;
  for (let i = 0; i < 20; i++) min = Math.min(min, referenceMs());
  return min;
}

/**
 * A sample counts when the reference work, just before it and just after it, took at most this many
 * times its least time in the run: in between, the machine was as fast as it gets (the ordinary scatter
 * of the reference is within a fifth; a spell doubles it).
 */
export const SLOW = 1.5;
/**
 * The most samples a measuring process takes in all, to get {@link SAMPLES} that count; and the
 * times a step whose samples all fell in a spell is done again in a new process, after a pause.
 */
const MAX_SAMPLES = 10;
const RETRIES = 2;
const RETRY_PAUSE_MS = 15_000;

/** Unmeasured samples before the measured ones, at both sizes (a call is compiled by the JIT, the heap sized). */
const WARM_SAMPLES = 2;
/** Measured samples, the same number at both sizes: the least of more samples is, by chance, less. */
const SAMPLES = 3;

/** What a measuring process found at a size. */
interface Measured {
  /** The least CPU ms of one call over the samples that count (over every sample when none does). */
  ms: number;
  /** The least ms of the reference work in the process. */
  reference: number;
  /** Samples taken, and those left out (taken while the machine ran slowly). */
  taken: number;
  slow: number;
}

/**
 * Least CPU ms of one call of `measure` at size `n`, `batch` calls a sample, in this process, after
 * {@link WARM_SAMPLES} unmeasured samples: the least of {@link SAMPLES}. The clock is the process's CPU
 * time: on the 2-CPU machine shared with other work, wall times of the same call varied by factors of 2
 * to 3, which made growth ratios meaningless. The least sample, not the median: what the machine, the
 * collector or the JIT add to a run is noise, never less than nothing. The same warm-up and the same
 * number of samples at N and at 8×N: N once had at least 8 warm-up calls and 500 ms and the least of 5
 * samples, 8×N 2 calls and the least of 3, and N came out lower by that alone (the undefined references at
 * 8,000, in two processes minutes apart: 172.8 ms after 8 calls, the least of 5; 214.6 ms after 2, the
 * least of 3), which raised the ratio (11.60x in the run that showed it).
 *
 * A sample counts only when the reference work just before and just after it ran at the machine's full
 * speed ({@link SLOW} × `fastest`, the least the run has seen); samples are taken until {@link SAMPLES}
 * count, {@link MAX_SAMPLES} in all, and for no more than a third of the process's time limit.
 */
function measureAt(shape: Shape, measure: ShapeMeasure, n: number, batch: number, fastest: number): Measured {
  let own = fastestReference();
  // (0: none measured yet in the run)
  const fastNow = () => (fastest > 0 ? Math.min(fastest, own) : own);
  const fn = repeated(taskAt(shape, measure, n), batch);
  for (let i = 0; i < WARM_SAMPLES; i++) fn();
  const samples: Array<{ ms: number; reference: number }> = [];
  const counts = (s: { reference: number }) => s.reference <= SLOW * fastNow();
  const t0 = cpuClock();
  while (samples.filter(counts).length < SAMPLES && samples.length < MAX_SAMPLES) {
    const before = referenceMs();
    const s0 = cpuClock();
    fn();
    const ms = (cpuClock() - s0) / batch;
    const after = referenceMs();
    own = Math.min(own, before, after);
    samples.push({ ms, reference: Math.max(before, after) });
    if (samples.length >= SAMPLES && cpuClock() - t0 > (TIMEOUT_S * 1000) / 3) break;
  }
  // judged by the least reference of the whole process (a process started in a spell may have left it)
  const counted = samples.filter(counts);
  const ms = Math.min(...(counted.length ? counted : samples).map((s) => s.ms));
  return { ms, reference: own, taken: samples.length, slow: samples.length - counted.length };
}

/** `fn` called `times` times. */
function repeated(fn: () => unknown, times: number): () => unknown {
  return times === 1
    ? fn
    : () => {
        for (let i = 0; i < times; i++) fn();
      };
}

/**
 * The largest N calibration may reach for `measure`: {@link MAX_GROWTH_OF_N} times the shape's own, and
 * 8×N under the size a file may have before it is no longer analysed ({@link MAX_TEXT_MB} here: a larger
 * one gets one finding and no analysis, its time says nothing).
 */
function maxSize(shape: Shape, measure: ShapeMeasure): number {
  const n = sizeOf(shape, measure);
  const charsPerN = shape.make(n).text.length / n;
  const limit = 0.95 * SETTINGS.maxFileSizeKB * 1024;
  const underLimit = Math.floor(limit / (GROWTH * charsPerN));
  let max = Math.max(n, Math.min(n * MAX_GROWTH_OF_N, underLimit));
  // lines may grow with N (numbers of more digits): the text at 8×max itself must be under the limit (a
  // chain of 26,000 macros made a text over it at 8×N, and a growth of 0.00x)
  while (max > n && shape.make(max * GROWTH).text.length > limit) max = Math.max(n, Math.floor(max * 0.9));
  return max;
}

/**
 * The CPU ms the analysis of the document a request is asked on may take at 8×N, as calibration
 * estimates it (linear from its time at N): a quarter of a process's time limit. Completion in a chain
 * of macros takes under a millisecond, so N grew to 256,000 macros, and at 8×N the analysis of 2 M
 * macros (about 30 s and 3.4 GB, linear: 14 s and 1.7 GB at 1 M) left the process no time to
 * measure the completion before its limit.
 */
const ANALYSIS_BUDGET_MS = (TIMEOUT_S * 1000) / 4;

/**
 * The size and batch at which `measure` is measured: the shape's N, doubled until one warm call takes
 * {@link MIN_MS} of CPU time or N reaches {@link maxSize} (for a request, or until the analysis it is
 * asked on would pass {@link ANALYSIS_BUDGET_MS} at 8×N); then as many calls per sample as make
 * {@link MIN_MS}.
 */
function calibrate(shape: Shape, measure: ShapeMeasure): { n: number; batch: number } {
  let n = sizeOf(shape, measure);
  const max = maxSize(shape, measure);
  const request = measure !== 'lint' && measure !== 'fix';
  for (;;) {
    const t0 = cpuClock();
    const fn = taskAt(shape, measure, n);
    // for a request: the text made and analysed, once, cold (more than it costs warm)
    const setup = cpuClock() - t0;
    warm(fn);
    const ms = least(fn, 3);
    const batch = Math.min(1000, Math.max(1, Math.ceil(MIN_MS / ms)));
    if (ms >= MIN_MS || n >= max) return { n, batch };
    // straight to about the size that takes MIN_MS, by powers of two, when the call was far too short
    let next = Math.min(max, n * (ms > 0 ? Math.max(2, 2 ** Math.floor(Math.log2(MIN_MS / ms))) : 2));
    if (request)
      while (next > n && setup * (next / n) * GROWTH > ANALYSIS_BUDGET_MS) next = Math.max(n, Math.floor(next / 2));
    if (next <= n) return { n, batch };
    n = next;
  }
}

/** What a measuring process is asked: calibrate, or measure at a size. */
type Step =
  | { kind: 'calibrate'; shape: string; measure: ShapeMeasure }
  | { kind: 'measure'; shape: string; measure: ShapeMeasure; n: number; batch: number; fastest: number };
/** A size to measure, as {@link pairs} is given it: the run's fastest reference is added when it runs. */
type MeasureStep = Omit<Extract<Step, { kind: 'measure' }>, 'fastest'>;
type StepAnswer = { n: number; batch: number } | Measured | { error: string };

/** In the measuring process: does one step and sends its answer. */
function doStep(step: Step): void {
  const send = (a: StepAnswer) => void process.send!(a);
  const shape = SHAPES.find((s) => s.name === step.shape);
  if (!shape) return send({ error: `no shape named ${step.shape}` });
  try {
    send(
      step.kind === 'calibrate'
        ? calibrate(shape, step.measure)
        : measureAt(shape, step.measure, step.n, step.batch, step.fastest),
    );
  } catch (e) {
    send({ error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
  }
}

/** Runs one step in a process of its own; resolves with its answer, or why there is none. */
function runStep(step: Step): Promise<StepAnswer> {
  return new Promise((resolve) => {
    let answer: StepAnswer | undefined;
    const child = fork(__filename, [JSON.stringify(step)], {
      execArgv: EXEC_ARGV,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
    child.on('message', (a: StepAnswer) => (answer = a));
    let why: string | undefined;
    const timer = setTimeout(() => {
      why = `stopped after ${TIMEOUT_S} s`;
      child.kill('SIGKILL');
    }, TIMEOUT_S * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!why && (code || signal))
        why = /heap out of memory/i.test(stderr) ? 'out of memory' : `died (${signal ?? 'exit ' + code})`;
      resolve(answer ?? { error: why ?? 'no answer' });
    });
  });
}

/**
 * The least ms of the reference work the measuring processes have seen in the run so far (the machine
 * at its full speed); the measuring processes' own, since Node's options differ in this one.
 */
let fastest = Infinity;

/**
 * One size measured in a process of its own; done again, after a pause, up to {@link RETRIES} times
 * when every sample fell in a spell of the machine (its least figure is kept when they all do).
 */
async function measureStep(step: MeasureStep, tally: { slow: number; again: number }): Promise<StepAnswer> {
  let best: Measured | undefined;
  for (let attempt = 0; ; attempt++) {
    const a = await runStep({ ...step, fastest: Number.isFinite(fastest) ? fastest : 0 });
    if (!('ms' in a)) return a;
    fastest = Math.min(fastest, a.reference);
    tally.slow += a.slow;
    if (!best || a.ms < best.ms) best = a;
    if (a.slow < a.taken || attempt >= RETRIES) return best;
    tally.again++;
    await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
}

/**
 * {@link PROCESSES} pairs of measures, each in a process of its own: N, then 8×N, then N again… The
 * least figure at each size, and the growth ratio of each pair (a slow spell of the machine falls on
 * both sizes of a pair: measured one size after the other, a spell through both processes of N once
 * made sibling blocks' t(N) 332 ms instead of about 180, and their growth 7.0x).
 */
async function pairs(small: MeasureStep, big: MeasureStep): Promise<Omit<Figure, 'measure' | 'n'>> {
  const least = { small: Infinity, big: Infinity };
  const ratios: number[] = [];
  const tally = { slow: 0, again: 0 };
  for (let i = 0; i < PROCESSES; i++) {
    const s = await measureStep(small, tally);
    // (a size that did not finish: the least figures so far, and why)
    if (!('ms' in s)) return { ...finite(least), ...tally, error: 'error' in s ? s.error : 'no figure' };
    least.small = Math.min(least.small, s.ms);
    const b = await measureStep(big, tally);
    if (!('ms' in b)) return { ...finite(least), ...tally, error: 'error' in b ? b.error : 'no figure' };
    least.big = Math.min(least.big, b.ms);
    ratios.push(b.ms / s.ms);
  }
  return { ...least, ...tally, ratios, growth: median(ratios) };
}

/** The figures that were measured. */
function finite(least: { small: number; big: number }): { small?: number; big?: number } {
  return {
    small: Number.isFinite(least.small) ? least.small : undefined,
    big: Number.isFinite(least.big) ? least.big : undefined,
  };
}

/** One measure of a shape: calibrated, then pairs of processes at N and 8×N. */
async function runMeasure(shape: Shape, measure: ShapeMeasure): Promise<Figure> {
  const figure: Figure = { measure };
  const cal = await runStep({ kind: 'calibrate', shape: shape.name, measure });
  if ('error' in cal) return { ...figure, error: cal.error };
  if (!('n' in cal)) return { ...figure, error: 'no size' };
  figure.n = cal.n;
  const bigBatch = Math.max(1, Math.round(cal.batch / GROWTH));
  const measured = await pairs(
    { kind: 'measure', shape: shape.name, measure, n: cal.n, batch: cal.batch },
    { kind: 'measure', shape: shape.name, measure, n: cal.n * GROWTH, batch: bigBatch },
  );
  return { ...figure, ...measured };
}

/** The size N of a shape for one measure. */
export function sizeOf(shape: Shape, measure: ShapeMeasure): number {
  return shape.sizes?.[measure] ?? shape.n;
}

/** The growth ratio of a figure (the median of its pairs'), or Infinity when the large input did not finish. */
export function growthOf(f: Figure): number {
  return f.growth ?? Infinity;
}

/**
 * Every shape (or those whose name holds one of the comma-separated texts of BENCH_SHAPES), one step
 * after the other (they are timed: never two at once).
 */
export async function runShapes(): Promise<ShapeResult[]> {
  const results: ShapeResult[] = [];
  fastest = Infinity;
  const only = process.env.BENCH_SHAPES?.toLowerCase()
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const shape of SHAPES) {
    if (only?.length && !only.some((t) => shape.name.toLowerCase().includes(t))) continue;
    const figures: Figure[] = [];
    for (const measure of shape.measures) figures.push(await runMeasure(shape, measure));
    results.push({ shape, figures });
  }
  return results;
}

if (require.main === module) doStep(JSON.parse(process.argv[2]) as Step);
