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
import { median, timeIt } from './timing';

const QUICK = !!process.env.BENCH_QUICK;
/** The growth factor of the input. */
const GROWTH = 8;
/** Above this growth ratio for 8× the input, a shape is flagged as superlinear. */
export const MAX_GROWTH = 10;
/** Seconds a shape may take in all (BENCH_SHAPES_TIMEOUT), and the heap its process may use. */
const TIMEOUT_S = Number(process.env.BENCH_SHAPES_TIMEOUT) || 30;
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

/** Warm-up cap (ms): the inputs are large, so a few runs compile the code that matters. */
const CAP_MS = QUICK ? 100 : 250;

/**
 * Median ms at N and at 8×N. After a warm-up of each, the two are measured in turn, a few runs of each
 * round after round, and the medians of the rounds kept: a busy moment of the machine, shared with other
 * work, falls on both alike. Measured once one after the other, the first measure of a process (code the
 * JIT has not finished with, a heap not yet grown to the work) or a busy minute made ratios 2 to 3 times
 * too high or too low in trials.
 */
function measurePair(shape: Shape, measure: ShapeMeasure, onSmall: (ms: number) => void): { small: number; big: number } {
  const small = taskAt(shape, measure, shape.n);
  onSmall(timeIt(small, 3, 2, CAP_MS));
  const big = taskAt(shape, measure, shape.n * GROWTH);
  // (a few runs at 8×N first: until the heap has grown to its work, a run of it took twice as long)
  timeIt(big, 1, QUICK ? 2 : 4, 0);
  const smalls: number[] = [];
  const bigs: number[] = [];
  for (let round = 0; round < 3; round++) {
    bigs.push(timeIt(big, QUICK ? 1 : 3, 0, 0));
    smalls.push(timeIt(small, QUICK ? 3 : 5, 0, 0));
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
        measurePair(shape, measure, (ms) => {
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
    const child = fork(__filename, [shape.name], { execArgv: [`--max-old-space-size=${HEAP_MB}`], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
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
      if (!why && (code || signal)) why = /heap out of memory/i.test(stderr) ? `out of memory (${HEAP_MB} MB heap)` : `died (${signal ?? 'exit ' + code})`;
      const out = shape.measures.map((m) => {
        const f = figures.get(m) ?? { measure: m };
        return f.big === undefined && !f.error ? { ...f, error: why ?? 'no figure' } : f;
      });
      resolve({ shape, figures: out });
    });
  });
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
