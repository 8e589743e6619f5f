/**
 * The shapes bench: how the time grows with the input, for each construct the parser and the analysis
 * know (bench/generate.ts SHAPES). Each shape is measured at its size N and at 8×N, for the full lint (as
 * pmta-lint runs it) and, where the shape concerns them, fix all, formatting, the outline and completion;
 * the growth ratio t(8N) / t(N) is about 8 in linear time, and more than 10 is flagged.
 *
 * Each shape runs in a process of its own, with a time limit and a heap limit: a shape that has become
 * quadratic (or worse) is reported as such instead of stalling the bench or taking the machine's memory.
 * Run as a script (`node out/bench/shapes.js NAME`), this module measures one shape and sends the
 * figures to its parent as they come.
 */
import { fork } from 'child_process';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PmtaLanguageService } from '../server/src/service';
import type { IncludeHost } from '../server/src/hosts/includeHost';
import { SHAPES, type Shape, type ShapeInput, type ShapeMeasure } from './generate';
import { cpuClock, median, timeIt } from './timing';

const QUICK = !!process.env.BENCH_QUICK;
/** The growth factor of the input. */
const GROWTH = 8;
/** Above this growth ratio for 8× the input, a shape is flagged as superlinear. */
export const MAX_GROWTH = 10;
/** Seconds a shape may take in all (BENCH_SHAPES_TIMEOUT), and the heap its process may use. */
const TIMEOUT_S = Number(process.env.BENCH_SHAPES_TIMEOUT) || 20;
const HEAP_MB = 1536;

/** One measure of a shape, as the measuring process sends it. */
interface Figure {
  measure: ShapeMeasure;
  /** Median ms at N and at 8×N (absent when the process stopped before). */
  small?: number;
  big?: number;
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
  if (measure === 'lint') return () => new PmtaLanguageService({ host }).lint(doc);
  if (measure === 'fix') return () => new PmtaLanguageService({ host }).fixAll(doc);
  // the editor's requests: on a document already analysed, as the server answers them
  const service = new PmtaLanguageService({ host });
  service.lint(doc);
  if (measure === 'format') return () => service.format(doc, { tabSize: 4, insertSpaces: true });
  if (measure === 'outline') return () => service.documentSymbols(doc);
  const at = input.at ?? { line: 0, character: 0 };
  return () => service.complete(doc, at);
}

/** The function that does `measure` once on the shape at size `n`. */
function taskAt(shape: Shape, measure: ShapeMeasure, n: number): () => unknown {
  return task(measure, shape.make(n), `file:///shapes/${n}.pmta`);
}

/**
 * Median CPU ms at N and at 8×N. Each is warmed up by a count of runs (a warm-up by time gets few runs
 * when the machine is busy), then the two are measured in turn, round after round, and the medians kept.
 * The clock is the process's CPU time: on the 2-CPU machine shared with other work, wall times of the
 * same call varied by factors of 2 to 3, which made growth ratios meaningless; and measured one after
 * the other, the first measure of a process (code the JIT has not finished with, a heap not yet grown to
 * the work) came out up to 3 times too slow.
 */
function measurePair(
  shape: Shape,
  measure: ShapeMeasure,
  n: number,
  onSmall: (ms: number) => void,
): { small: number; big: number } {
  const small = taskAt(shape, measure, n);
  onSmall(timeIt(small, 3, QUICK ? 4 : 8, 0, cpuClock));
  const big = taskAt(shape, measure, n * GROWTH);
  timeIt(big, 1, QUICK ? 1 : 2, 0, cpuClock);
  const smalls: number[] = [];
  const bigs: number[] = [];
  for (let round = 0; round < (QUICK ? 3 : 4); round++) {
    bigs.push(timeIt(big, 1, 0, 0, cpuClock));
    smalls.push(timeIt(small, 3, 0, 0, cpuClock));
  }
  return { small: median(smalls), big: median(bigs) };
}

/** In the measuring process: every measure of one shape, each figure sent as soon as it is known. */
function measureShape(name: string): void {
  const shape = SHAPES.find((s) => s.name === name);
  const send = (f: Figure) => process.send!(f);
  if (!shape) {
    send({ measure: 'lint', error: `no shape named ${name}` });
    return;
  }
  for (const measure of shape.measures) {
    const figure: Figure = { measure };
    try {
      Object.assign(
        figure,
        measurePair(shape, measure, sizeOf(shape, measure), (ms) => {
          figure.small = ms;
          send(figure);
        }),
      );
    } catch (e) {
      figure.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
    }
    send(figure);
  }
}

/** Runs one shape in a process of its own; resolves with what it measured before it ended or was stopped. */
function runShape(shape: Shape): Promise<ShapeResult> {
  return new Promise((resolve) => {
    const figures = new Map<ShapeMeasure, Figure>();
    const child = fork(__filename, [shape.name], {
      execArgv: [`--max-old-space-size=${HEAP_MB}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
    child.on('message', (f: Figure) => figures.set(f.measure, f));
    let why: string | undefined;
    const timer = setTimeout(() => {
      why = `stopped after ${TIMEOUT_S} s`;
      child.kill('SIGKILL');
    }, TIMEOUT_S * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!why && (code || signal))
        why = /heap out of memory/i.test(stderr)
          ? `out of memory (${HEAP_MB} MB heap)`
          : `died (${signal ?? 'exit ' + code})`;
      const out = shape.measures.map((m) => {
        const f = figures.get(m) ?? { measure: m };
        return f.big === undefined && !f.error ? { ...f, error: why ?? 'no figure' } : f;
      });
      resolve({ shape, figures: out });
    });
  });
}

/** The size N of a shape for one measure. */
export function sizeOf(shape: Shape, measure: ShapeMeasure): number {
  return shape.sizes?.[measure] ?? shape.n;
}

/** The growth ratio of a figure, or Infinity when the large input did not finish. */
export function growthOf(f: Figure): number {
  if (f.small === undefined) return Infinity;
  return f.big === undefined ? Infinity : f.big / f.small;
}

/** Every shape, one after the other (they are timed: never two at once). */
export async function runShapes(): Promise<ShapeResult[]> {
  const results: ShapeResult[] = [];
  for (const shape of SHAPES) results.push(await runShape(shape));
  return results;
}

if (require.main === module) measureShape(process.argv[2]);
