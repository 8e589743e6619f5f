/**
 * Benchmarks (prints figures, asserts nothing):
 *   npm run bench            (production build, then this)
 *   BENCH_QUICK=1 npm run bench   fewer runs, for a quick look
 *   BENCH_ONLY=lsp,patho npm run bench   only some sections (sizes, lsp, split, web, patho, shapes, startup, bundle, report)
 *   BENCH_SERVER_FLAGS='--max-old-space-size=200' npm run bench   Node options for the measured server,
 *                            instead of SERVER_NODE_OPTIONS, those the VS Code client starts it with
 *
 * For generated configs of 1k, 10k and 100k lines: parse time, full analysis time (model + every
 * rule), both divided by jsonc-parser's time on JSON of the same byte size, hover and completion
 * latency at many positions, outline and folding, retained memory; over a real stdio LSP connection,
 * didOpen / didChange → publishDiagnostics and the server's memory. The same configurations split into
 * included files (a conf.d layout): the whole configuration, and an edit of one file checked as part of
 * it. Then pathological 1 MB lines; the shapes (each construct the parser and the analysis know, at N
 * and 8×N: the growth ratio, see bench/shapes.ts); the startup of the server (spawn → initialize
 * response, side by side with a bare vscode-languageserver server, and the first didOpen → diagnostics);
 * the size of the bundles and the cost of loading the extension. The Microsoft delivery report on a
 * generated accounting file of 128 MB (see bench/report.ts). All times are medians, measured after
 * warming up (see {@link timeIt}); the first, cold parse is printed apart.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as esbuild from 'esbuild';
import { parseTree, parse as jsonParse } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from '../server/src/parser/parser';
import { isDirectiveName } from '../server/src/knowledge/catalog';
import { PmtaLanguageService } from '../server/src/service';
import { VALIDATE_DELAY_MS } from '../server/src/server/scheduler';
import { generateConfig, generateJson, pathologicalLines, rng, splitConfig } from './generate';
import { growthOf, MAX_GROWTH, MIN_MS, PROCESSES, runShapes, sizeOf, SLOW } from './shapes';
import { NodeIncludeHost } from '../server/src/hosts/nodeHost';
import { measureLsp, measureStartup } from './lsp';
import { SERVER_NODE_OPTIONS } from '../server/src/server/nodeOptions';
import { benchReport } from './report';
import {
  median,
  now,
  percentile,
  since,
  timeIt,
  timeOnce,
  timeRuns,
  WARMUP_CAP_MS,
  WARMUP_MS,
  WARMUP_RUNS,
} from './timing';

const ROOT = path.resolve(__dirname, '..', '..');
const QUICK = !!process.env.BENCH_QUICK;
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const want = (section: string) => !ONLY || ONLY.has(section);
const gc = (globalThis as { gc?: () => void }).gc;

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const mb = (n: number | undefined) => (n === undefined ? 'n/a' : (n / 1024 / 1024).toFixed(0) + ' MB');
const kb = (n: number) => (n / 1024).toFixed(0) + ' KB';

function table(head: string[], rows: string[][]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log(line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(line(r));
}

interface Row {
  lines: number;
  bytes: number;
  parse: number;
  jsonTree: number;
  /** Mean of the same runs as {@link jsonTree}. */
  jsonTreeMean: number;
  jsonParse: number;
  firstParse: number;
  firstJson: number;
  analysis: number;
  /** Mean of the same runs as {@link analysis}. */
  analysisMean: number;
  findings: number;
  hoverMed: number;
  hoverP95: number;
  complMed: number;
  complP95: number;
  symbols: number;
  folding: number;
  heap?: number;
  /** Analysis of a new version after a one-character edit (lines taken over from the previous version). */
  edit: number;
  /** Heap kept by the document after 60 edits in different places, minus what it kept before them. */
  heapAfterEdits?: number;
}

const targets: Array<{ what: string; target: string; value: string; ok: boolean }> = [];

function measureSize(lines: number): Row {
  const text = generateConfig(lines);
  const json = generateJson(text.length);
  const big = lines >= 100000;
  // (enough runs for a stable median: the analysis times are two groups, with and without a collection)
  const runs = QUICK ? 3 : big ? 7 : 31;
  const doc = TextDocument.create('file:///bench.pmta', 'powermta', 1, text);

  // the first call of each parser in this process (cold: nothing compiled yet), for reference
  const firstParse = timeOnce(() => parse(text, { isDirectiveName }));
  const firstJson = timeOnce(() => parseTree(json));
  const parseMs = timeIt(() => parse(text, { isDirectiveName }), runs);
  const jsonTimes = timeRuns(() => parseTree(json), runs);
  const jsonTree = jsonTimes.median;
  const jsonPlain = timeIt(() => jsonParse(json), runs);
  let findings = 0;
  // full analysis of a new version: model (parse, names, macros, annotations) and every rule
  const analysisTimes = timeRuns(() => {
    findings = new PmtaLanguageService().lint(doc).length;
  }, runs);
  const analysis = analysisTimes.median;

  // editor requests on an analysed version, at many positions
  const service = new PmtaLanguageService();
  service.lint(doc);
  const r = rng(7);
  const docLines = text.split('\n');
  const positions = Array.from({ length: QUICK ? 100 : 400 }, () => {
    const line = Math.floor(r() * (docLines.length - 1));
    return { line, character: Math.floor(r() * (docLines[line].length + 1)) };
  });
  const lat = (fn: (p: { line: number; character: number }) => unknown) => {
    positions.slice(0, 20).forEach(fn);
    const xs = positions.map((p) => {
      const t0 = now();
      fn(p);
      return since(t0);
    });
    return { med: median(xs), p95: percentile(xs, 95) };
  };
  const hover = lat((p) => service.hover(doc, p));
  const compl = lat((p) => service.complete(doc, p));
  const symbols = timeIt(() => service.documentSymbols(doc), QUICK ? 3 : 7, 1);
  const folding = timeIt(() => service.foldingRanges(doc), QUICK ? 3 : 7, 1);

  let heap: number | undefined;
  if (gc) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const keep = new PmtaLanguageService();
    keep.lint(TextDocument.create('file:///m.pmta', 'powermta', 1, text));
    gc();
    heap = process.memoryUsage().heapUsed - before;
    void keep.getModel;
  }
  // one-character edits in different places, each analysed as the server does (new version, all rules)
  const editDoc = TextDocument.create('file:///e.pmta', 'powermta', 1, text);
  const editService = new PmtaLanguageService();
  editService.lint(editDoc);
  const editable = docLines
    .map((l, i) => (/^\s*(max-msg-rate|max-smtp-out|<domain|smtp-source-host|reply) /.test(l) ? i : -1))
    .filter((i) => i >= 0);
  let edits = 0;
  const editOnce = () => {
    const line = editable[Math.floor(((edits++ * 0.618034) % 1) * editable.length)];
    const character = docLines[line].length;
    TextDocument.update(
      editDoc,
      [{ range: { start: { line, character }, end: { line, character } }, text: ' ' }],
      editDoc.version + 1,
    );
    docLines[line] += ' ';
    editService.lint(editDoc);
  };
  const edit = timeIt(editOnce, QUICK ? 3 : big ? 15 : 31);
  let heapAfterEdits: number | undefined;
  if (gc) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let k = 0; k < 60; k++) editOnce();
    gc();
    heapAfterEdits = process.memoryUsage().heapUsed - before;
  }
  return {
    edit,
    heapAfterEdits,
    lines: docLines.length - 1,
    bytes: text.length,
    parse: parseMs,
    jsonTree,
    jsonTreeMean: jsonTimes.mean,
    jsonParse: jsonPlain,
    firstParse,
    firstJson,
    analysis,
    analysisMean: analysisTimes.mean,
    findings,
    hoverMed: hover.med,
    hoverP95: hover.p95,
    complMed: compl.med,
    complP95: compl.p95,
    symbols,
    folding,
    heap,
  };
}

async function main(): Promise<void> {
  const dist = path.join(ROOT, 'dist');
  const serverJs = path.join(dist, 'server.js');
  console.log(
    `pmta-lsp benchmarks on ${process.platform}/${process.arch}, Node ${process.version}, ${os.cpus().length} CPUs${QUICK ? ' (quick)' : ''}`,
  );
  console.log('times are medians in ms; jsonc-parser parses JSON of the same byte size in the same process\n');

  if (want('sizes')) sizes();
  if (want('lsp')) await lsp(serverJs);
  if (want('split')) await split(serverJs, serverOptions());
  if (want('web')) await web(dist);
  if (want('patho')) patho();
  if (want('shapes')) await shapes();
  if (want('startup')) await startup(serverJs);
  if (want('bundle')) bundle(dist);
  if (want('report')) {
    const r = await benchReport(path.join(dist, 'cli.js'), QUICK);
    targets.push({
      what: `accounting report / bare byte scan (${r.mb} MB CSV)`,
      target: '≤ 3x',
      value: f2(r.ratio) + 'x',
      ok: r.ratio <= 3,
    });
    targets.push({
      what: 'pmta-lint report: peak memory (RSS)',
      target: '< 150 MB',
      value: mb(r.cliPeakRss),
      ok: r.cliPeakRss !== undefined && r.cliPeakRss < 150 * 1024 * 1024,
    });
  }

  console.log('\ntargets');
  table(
    ['figure', 'target', 'measured', ''],
    targets.map((t) => [t.what, t.target, t.value, t.ok ? 'ok' : 'MISSED']),
  );
}

function sizes(): void {
  const rows = [1000, 10000, 100000].map(measureSize);
  table(
    ['lines', 'size', 'parse', 'jsonc tree', 'parse/jsonc', 'analysis', 'analysis/jsonc', 'findings', 'heap kept'],
    rows.map((r) => [
      String(r.lines),
      kb(r.bytes),
      f1(r.parse),
      f1(r.jsonTree),
      f2(r.parse / r.jsonTree) + 'x',
      f1(r.analysis),
      f2(r.analysis / r.jsonTree) + 'x',
      String(r.findings),
      r.heap === undefined ? 'n/a (--expose-gc)' : mb(r.heap),
    ]),
  );
  console.log(
    `(jsonc-parser's parse() to plain values, for reference: ${rows.map((r) => `${f1(r.jsonParse)} ms`).join(', ')})`,
  );
  console.log(
    `(means of the same runs, garbage collections spread over them: analysis ${rows.map((r) => f1(r.analysisMean)).join(' / ')} ms, jsonc tree ${rows.map((r) => f1(r.jsonTreeMean)).join(' / ')} ms, analysis/jsonc ${rows.map((r) => f2(r.analysisMean / r.jsonTreeMean) + 'x').join(' / ')})`,
  );
  console.log(
    `(medians after a warm-up of ${WARMUP_RUNS} unmeasured runs and ${WARMUP_MS} ms, at most ${WARMUP_CAP_MS / 1000} s, of each function; the very first parse in this process, before any warm-up, took ${f1(rows[0].firstParse)} ms for ours and ${f1(rows[0].firstJson)} ms for jsonc-parser on the ${rows[0].lines}-line input)\n`,
  );
  table(
    [
      'lines',
      'hover med',
      'hover p95',
      'completion med',
      'completion p95',
      'outline',
      'folding',
      'edit → analysis',
      'heap growth after 60 edits',
    ],
    rows.map((r) => [
      String(r.lines),
      f2(r.hoverMed),
      f2(r.hoverP95),
      f2(r.complMed),
      f2(r.complP95),
      f1(r.symbols),
      f1(r.folding),
      f1(r.edit),
      r.heapAfterEdits === undefined ? 'n/a (--expose-gc)' : mb(r.heapAfterEdits),
    ]),
  );
  console.log(
    '(edit → analysis: a one-character edit, then every rule on the new version, in process; the lines the edit did not touch are taken over from the previous version)\n',
  );
  const worst = (fn: (r: Row) => number) => Math.max(...rows.map(fn));
  targets.push({
    what: 'parse / jsonc-parser (worst size)',
    target: '≤ 2x',
    value: f2(worst((r) => r.parse / r.jsonTree)) + 'x',
    ok: worst((r) => r.parse / r.jsonTree) <= 2,
  });
  targets.push({
    what: 'full analysis / jsonc-parser (worst size)',
    target: '≤ 4x',
    value: f2(worst((r) => r.analysis / r.jsonTree)) + 'x',
    ok: worst((r) => r.analysis / r.jsonTree) <= 4,
  });
  const r100 = rows[2];
  targets.push({
    what: '100k lines: full analysis',
    target: '< 150 ms',
    value: f1(r100.analysis) + ' ms',
    ok: r100.analysis < 150,
  });
}

/** The Node options the measured server runs with: BENCH_SERVER_FLAGS, else those the VS Code client uses. */
function serverOptions(): readonly string[] {
  return process.env.BENCH_SERVER_FLAGS !== undefined
    ? process.env.BENCH_SERVER_FLAGS.split(' ').filter(Boolean)
    : SERVER_NODE_OPTIONS;
}

async function lsp(serverJs: string): Promise<void> {
  const options = serverOptions();
  console.log(
    `\nlanguage server over stdio (node ${[...options, 'dist/server.js', '--stdio'].join(' ')}); the server waits ${VALIDATE_DELAY_MS} ms after a change before analysing`,
  );
  const lspRows: string[][] = [];
  let lsp10: number | undefined;
  let rss100: number | undefined;
  // `main`: with the options the targets are about
  const runs: Array<{ lines: number; options: readonly string[]; label: string; main: boolean }> = [
    1000, 10000, 100000,
  ].map((lines) => ({ lines, options, label: String(lines), main: true }));
  // what an editor gets that starts the server without the options (unless they are the defaults already)
  if (options.length) runs.push({ lines: 100000, options: [], label: "100000, Node's defaults", main: false });
  for (const run of runs) {
    const text = generateConfig(run.lines);
    const fig = await measureLsp(serverJs, text, QUICK ? 5 : 21, run.options);
    const after = median(fig.changes) - VALIDATE_DELAY_MS;
    if (run.main && run.lines === 10000) lsp10 = after;
    if (run.main && run.lines === 100000) rss100 = fig.peakRss;
    lspRows.push([
      run.label,
      f1(fig.open),
      f1(median(fig.changes)),
      f1(after),
      f1(percentile(fig.changes, 90) - VALIDATE_DELAY_MS),
      f1(fig.burst - VALIDATE_DELAY_MS),
      String(fig.burstPublished),
      String(fig.diagnostics),
      mb(fig.peakRss),
    ]);
  }
  table(
    [
      'lines',
      'open→diags',
      'change→diags',
      'minus debounce',
      'p90 minus debounce',
      'burst: last key→diags minus debounce',
      'burst publishes',
      'diags',
      'server peak RSS',
    ],
    lspRows,
  );
  targets.push({
    what: '10k lines: didChange → diagnostics after the debounce (median)',
    target: '< 40 ms',
    value: f1(lsp10!) + ' ms',
    ok: lsp10! < 40,
  });
  targets.push({
    what: '100k lines: server peak memory (RSS)',
    target: '< 150 MB',
    value: mb(rss100),
    ok: rss100 !== undefined && rss100 < 150 * 1024 * 1024,
  });
}

/**
 * The configurations of 10k and 100k lines as `config` including 20 files of conf.d, on disk: in process,
 * and over stdio with one of the files open on its own (the server finds `config` and checks the file
 * as part of it).
 */
async function split(serverJs: string, options: readonly string[]): Promise<void> {
  const PARTS = 20;
  console.log(`\nsplit configurations: \`config\` includes ${PARTS} files of conf.d (read from disk)`);
  const rows: string[][] = [];
  const lspRows: string[][] = [];
  for (const lines of [10000, 100000]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-bench-'));
    try {
      fs.mkdirSync(path.join(dir, 'conf.d'));
      const parts = splitConfig(generateConfig(lines), PARTS);
      parts.forEach((t, i) => fs.writeFileSync(path.join(dir, 'conf.d', `part${String(i).padStart(2, '0')}.conf`), t));
      const rootText = 'include conf.d/*.conf\n';
      fs.writeFileSync(path.join(dir, 'config'), rootText);
      const root = TextDocument.create(pathToFileURL(path.join(dir, 'config')).toString(), 'powermta', 1, rootText);
      let findings = 0;
      // (one host, as in the server: a file that did not change is not read again)
      const host = new NodeIncludeHost();
      // the whole configuration, from nothing: read, parse and check every file
      const whole = timeIt(
        () => {
          const s = new PmtaLanguageService({ host });
          findings = s.lint(root).length + s.lintIncluded(root).reduce((n, x) => n + x.findings.length, 0);
        },
        QUICK ? 3 : 7,
        1,
      );
      // one file open and edited, checked as part of the configuration (which the server holds)
      const service = new PmtaLanguageService({ host });
      service.lint(root);
      const k = Math.floor(PARTS / 2);
      const uri = pathToFileURL(path.join(dir, 'conf.d', `part${String(k).padStart(2, '0')}.conf`)).toString();
      const base = parts[k];
      const at = base.indexOf('\n', Math.floor(base.length / 2)) + 1;
      let version = 1;
      const edit = () =>
        TextDocument.create(uri, 'powermta', ++version, base.slice(0, at) + `# edit ${version}\n` + base.slice(at));
      const inContext = timeIt(() => service.lint(edit(), { root }), QUICK ? 5 : 21);
      const alone = timeIt(() => service.lint(edit()), QUICK ? 5 : 21);
      rows.push([String(lines), String(PARTS), f1(whole), String(findings), f1(inContext), f1(alone)]);
      const fig = await measureLsp(serverJs, base, QUICK ? 5 : 21, options, uri);
      lspRows.push([
        String(lines),
        kb(base.length),
        f1(fig.open),
        f1(median(fig.changes) - VALIDATE_DELAY_MS),
        String(fig.diagnostics),
        mb(fig.peakRss),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  table(
    [
      'lines',
      'files',
      'whole configuration',
      'findings',
      'edit of one file → its findings, as part of the configuration',
      'the same, the file alone',
    ],
    rows,
  );
  console.log(
    '(as part of the configuration: the files that did not change are taken over, not read and parsed again; the Microsoft analysis covers the whole configuration)',
  );
  table(
    [
      'lines in all',
      'the open file',
      'open→diags (finds config on disk)',
      'change→diags minus debounce',
      'diags',
      'server peak RSS',
    ],
    lspRows,
  );
  console.log(
    `(over stdio, node ${[...options, 'dist/server.js', '--stdio'].join(' ')}: one file of conf.d opened alone and edited ${QUICK ? 5 : 21} times)`,
  );
}

/**
 * The server built for a web worker (dist/web/server.js, VS Code for the Web), run in Node as in a worker
 * (test/helpers/workerHost.ts carries its messages over stdio): the same measures as the Node server's.
 */
async function web(dist: string): Promise<void> {
  const host = path.join(ROOT, 'out', 'test', 'helpers', 'workerHost.js');
  console.log(
    `\nthe web worker build over stdio (node ${path.relative(ROOT, host)} dist/web/server.js: run in Node as in a worker; in a browser the worker runs on the same engine, V8, in Chromium-based browsers)`,
  );
  const rows: string[][] = [];
  for (const lines of [10000, 100000]) {
    const fig = await measureLsp(
      host,
      generateConfig(lines),
      QUICK ? 5 : 21,
      [],
      'vscode-vfs://github/bench/pmta/config',
      [path.join(dist, 'web', 'server.js')],
    );
    rows.push([
      String(lines),
      f1(fig.open),
      f1(median(fig.changes) - VALIDATE_DELAY_MS),
      String(fig.diagnostics),
      mb(fig.peakRss),
    ]);
  }
  table(['lines', 'open→diags', 'change→diags minus debounce', 'diags', 'peak RSS'], rows);
}

function patho(): void {
  console.log('\npathological inputs (one line of 1 MB): parse and full analysis');
  const rows = pathologicalLines(1024 * 1024).map(({ name, text }) => {
    const p = timeIt(() => parse(text, { isDirectiveName }), 3, 1);
    const doc = TextDocument.create('file:///p.pmta', 'powermta', 1, text);
    const service = new PmtaLanguageService();
    let n = 0;
    const a = timeIt(
      () => {
        n = new PmtaLanguageService().lint(doc).length;
      },
      3,
      1,
    );
    service.lint(doc);
    const h = timeIt(() => service.hover(doc, { line: 0, character: 5000 }), 5, 1);
    const c = timeIt(() => service.complete(doc, { line: 0, character: 5000 }), 5, 1);
    return [name, kb(text.length), f1(p), f1(a), String(n), f2(h), f2(c)];
  });
  table(['input', 'size', 'parse', 'analysis', 'findings', 'hover', 'completion'], rows);
}

/**
 * How the time grows with the input, shape by shape (bench/shapes.ts): each construct at N and 8×N, the
 * full lint and the editor requests the shape concerns; a growth ratio above 10 is flagged.
 */
async function shapes(): Promise<void> {
  console.log(
    `\nshapes: each construct at N and ${8}×N (N doubled until a call takes ${MIN_MS} ms; ${PROCESSES} pairs of processes, one at N and one at 8×N), the least CPU ms of one call, and the growth t(8N) / t(N), the median of the pairs' (their range in brackets): about 8 in linear time`,
  );
  const results = await runShapes();
  const rows: string[][] = [];
  let worst = 0;
  let worstName = '';
  let slow = 0;
  let again = 0;
  for (const { shape, figures } of results) {
    for (const f of figures) {
      slow += f.slow ?? 0;
      again += f.again ?? 0;
      const g = growthOf(f);
      if (g > worst) {
        worst = g;
        worstName = `${shape.name}, ${f.measure}`;
      }
      const ms = (x: number | undefined) => (x === undefined ? '-' : f1(x));
      const range =
        f.ratios && f.ratios.length > 1 ? ` (${f2(Math.min(...f.ratios))}–${f2(Math.max(...f.ratios))})` : '';
      const growth = f.error ? f.error : f2(g) + 'x' + range;
      rows.push([
        shape.name,
        f.measure,
        `${f.n ?? sizeOf(shape, f.measure)} ${shape.unit}`,
        ms(f.small),
        ms(f.big),
        growth,
        (f.slow ? String(f.slow) : '') + (f.again ? ` (${f.again} again)` : ''),
        g > MAX_GROWTH ? 'SUPERLINEAR' : '',
      ]);
    }
  }
  table(['shape', 'measure', 'N', 't(N)', 't(8N)', 'growth', 'slow samples', ''], rows);
  console.log(
    '(lint: the full analysis as pmta-lint runs it, a new service each time; fix: fix all, round after round, as --fix; format, outline, completion: requests on the analysed document, completion at the end of the long line or in the innermost block; the outline stops at 5,000 symbols and 64 levels)',
  );
  console.log(
    `(a sample counts when a fixed piece of reference work, just before and just after it, ran at most ${SLOW}x its least time of the run: ${slow} samples were taken while the machine ran slowly and left out${again ? `, and ${again} processes were run again because every sample of theirs was` : ''})`,
  );
  targets.push({
    what: `growth for 8× the input, every shape (worst: ${worstName})`,
    target: `≤ ${MAX_GROWTH}x`,
    value: Number.isFinite(worst) ? f2(worst) + 'x' : 'did not finish',
    ok: worst <= MAX_GROWTH,
  });
}

/**
 * What starting the server costs, against the least a vscode-languageserver server costs: spawn →
 * initialize response of dist/server.js and of bench/bareServer.ts (bundled here as scripts/build.mjs
 * bundles the server for \`npm run bench\`: production), with the same Node options, interleaved; ours
 * on its first start (\`--no-cache-dir\`: no code cache yet) and on a later one (V8's code cache of an
 * earlier start, kept in \`--cache-dir\` here, in the user's cache folder by default); and, in the same
 * fresh processes of our server, didOpen of a 1k-line config → its first diagnostics.
 */
async function startup(serverJs: string): Promise<void> {
  const options = serverOptions();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-bench-'));
  try {
    const bareJs = path.join(dir, 'bare-server.js');
    // the options of scripts/build.mjs for dist/server.js, production build
    esbuild.buildSync({
      absWorkingDir: ROOT,
      entryPoints: ['bench/bareServer.ts'],
      outfile: bareJs,
      bundle: true,
      sourcemap: true,
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
    });
    const runs = QUICK ? 5 : 21;
    const text = generateConfig(1000);
    // V8's code cache, as the VS Code client keeps it (--cache-dir): written by a first server a moment
    // after its first analysis, then read by every later start
    const cacheDir = path.join(dir, 'code-cache');
    const cached = ['--cache-dir=' + cacheDir];
    const hasCache = () => fs.existsSync(cacheDir) && fs.readdirSync(cacheDir).some((n) => n.endsWith('.v8cache'));
    await measureStartup(serverJs, options, text, cached, hasCache);
    if (!hasCache()) throw new Error('the server wrote no code cache');
    const ours: number[] = [];
    const oursCached: number[] = [];
    const bare: number[] = [];
    const opens: number[] = [];
    const opensCached: number[] = [];
    // one of each, in turn: a slow moment of the machine falls on all alike
    for (let i = 0; i < runs; i++) {
      const fig = await measureStartup(serverJs, options, text, ['--no-cache-dir']);
      ours.push(fig.initialize);
      opens.push(fig.open!);
      const figCached = await measureStartup(serverJs, options, text, cached);
      oursCached.push(figCached.initialize);
      opensCached.push(figCached.open!);
      bare.push((await measureStartup(bareJs, options)).initialize);
    }
    const ratio = median(ours) / median(bare);
    const ratioCached = median(oursCached) / median(bare);
    console.log(
      `\nstartup: spawn → initialize response over stdio (node ${[...options, 'SERVER', '--stdio'].join(' ')}), ${runs} fresh processes of each, interleaved`,
    );
    const range = (xs: number[]) => `${f1(Math.min(...xs))}–${f1(Math.max(...xs))}`;
    const ourSize = kb(
      fs.statSync(serverJs).size + fs.statSync(path.join(path.dirname(serverJs), 'server-main.js')).size,
    );
    const row = (name: string, size: string, inits: number[], open?: number[]) => [
      name,
      size,
      f1(median(inits)),
      range(inits),
      open ? f1(median(open)) : '',
      open ? range(open) : '',
    ];
    table(
      ['server', 'bundle', 'initialize', 'min–max', 'didOpen → diagnostics', 'min–max'],
      [
        row('dist/server.js, first start (--no-cache-dir: no code cache yet)', ourSize, ours, opens),
        row('dist/server.js, later starts (the code cache of an earlier one)', ourSize, oursCached, opensCached),
        row('bare vscode-languageserver server (bench/bareServer.ts)', kb(fs.statSync(bareJs).size), bare),
      ],
    );
    console.log(
      `ours / bare: ${f2(ratio)}x, ${f2(ratioCached)}x with the code cache; didOpen → diagnostics: a ${text.split('\n').length - 1}-line config opened in each of our fresh servers, right after initialize`,
    );
    targets.push({
      what: 'startup: spawn → initialize response, dist/server.js on its first start / a bare vscode-languageserver server',
      target: '≤ 1.25x',
      value: f2(ratio) + 'x',
      ok: ratio <= 1.25,
    });
    targets.push({
      what: '1k lines: didOpen → first diagnostics, in a fresh server on its first start (no code cache)',
      target: '< 30 ms',
      value: f1(median(opens)) + ' ms',
      ok: median(opens) < 30,
    });
    targets.push({
      what: '1k lines: didOpen → first diagnostics, in a fresh server with the code cache (any later start)',
      target: '< 30 ms',
      value: f1(median(opensCached)) + ' ms',
      ok: median(opensCached) < 30,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function bundle(dist: string): void {
  console.log('\nbundles (the build the bench ran: see "npm run bench")');
  const sizes = [
    'extension.js',
    'lsp-client.js',
    'server.js',
    'server-main.js',
    'cli.js',
    'web/extension.js',
    'web/server.js',
    'web/service.js',
  ].map((f) => [f, kb(fs.statSync(path.join(dist, f)).size)]);
  table(['dist/', 'size'], sizes);
  const load = (file: string) => {
    const times: number[] = [];
    for (let i = 0; i < (QUICK ? 3 : 11); i++) {
      const out = execFileSync(process.execPath, [path.join(__dirname, 'activation.js'), path.join(dist, file)], {
        encoding: 'utf8',
      });
      times.push(Number(out.trim()));
    }
    return times;
  };
  const act = load('extension.js');
  const lsp = load('lsp-client.js');
  console.log(
    `\nloading dist/extension.js in a fresh process (require, stub vscode): ${f1(median(act))} ms median of ${act.length}`,
  );
  console.log(
    `loading dist/lsp-client.js (vscode-languageclient; when the extension starts the server, after activation): ${f1(median(lsp))} ms median of ${lsp.length}`,
  );
  targets.push({
    what: 'extension activation (require dist/extension.js)',
    target: '< 30 ms',
    value: f1(median(act)) + ' ms',
    ok: median(act) < 30,
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
