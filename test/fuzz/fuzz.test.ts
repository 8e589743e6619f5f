/**
 * Property-based fuzzing (fast-check) of the parser, the rules and every editor feature, on random
 * text, random bytes, and mutations of the real-world corpus and the examples. The properties are in
 * check.ts.
 *
 * Reproducible: the seed is fixed (FUZZ_SEED to change it). FUZZ_RUNS multiplies the number of cases
 * (default 1: a few thousand cases in all, about a minute). On a failure the message gives the seed,
 * the shrunk input and how to replay it; keep the input as a fixture in test/fixtures/regressions/.
 */
import { test } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import fc from 'fast-check';
import { NodeIncludeHost } from '../../server/src/hosts/nodeHost';
import { readAllThrough, WebIncludeHost } from '../../server/src/hosts/webHost';
import { checkAll, checkSplit, checkVersions, interestingOffsets } from './check';
import { corpusFiles, CORPUS_MISSING, exampleFiles, ROOT } from '../helpers/util';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20251123;
const SCALE = process.env.FUZZ_RUNS ? Math.max(0.01, Number(process.env.FUZZ_RUNS)) : 1;
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
/** A guard against hangs only (no speed is asserted): the whole file must end within this. */
const TIMEOUT = 20 * 60 * 1000 * Math.max(1, SCALE);

function run<T>(name: string, arb: fc.Arbitrary<T>, n: number, check: (v: T) => void): void {
  const details = fc.check(fc.property(arb, check), { seed: SEED, numRuns: runs(n), endOnFailure: false });
  if (details.failed) {
    const shown = JSON.stringify(details.counterexample?.[0]);
    const error = details.errorInstance as Error | undefined;
    throw new Error(
      `${name}: property failed (seed ${details.seed}, path "${details.counterexamplePath}", after ${details.numRuns} cases).\n` +
        `Replay: FUZZ_SEED=${details.seed} npm test, or save the input below as a fixture in test/fixtures/regressions/.\n` +
        `Input (JSON): ${shown && shown.length > 4000 ? shown.slice(0, 4000) + '…' : shown}\n` +
        `Failure: ${error?.stack ?? String(error)}`,
    );
  }
}

/** Pieces of PowerMTA syntax, templates, blog pseudo-syntax and nasty characters. */
const FRAGMENTS = [
  '<domain ',
  '<domain *>',
  '<domain outlook.com>',
  '</domain>',
  '<virtual-mta m1>',
  '</virtual-mta>',
  '<virtual-mta-pool p>',
  '</virtual-mta-pool>',
  '<smtp-pattern-list e>',
  '</smtp-pattern-list>',
  '<mx-rollup-list>',
  '</mx-rollup-list>',
  '<source 0/0>',
  '</source>',
  '<',
  '>',
  '</',
  '<>',
  'max-smtp-out ',
  'max-msg-rate 10/h',
  'retry-after 10m,1h',
  'queue-to outlook.com',
  'smtp-source-host 1.2.3.4 a.example',
  'virtual-mta m1',
  'default-virtual-mta p',
  'smtp-pattern-list e',
  'domain-macro m a.com,',
  'include ',
  '$m',
  'reply /RP-001/ mode=backoff',
  'reply /',
  'mx *.olc.protection.outlook.com outlook.rollup',
  '/x/ spam',
  'domain hotmail.com {{',
  '}}',
  '{{',
  '{{#each ips}}',
  '{{/each}}',
  '{% if x %}',
  '__X__',
  'IP1_ADDRESS',
  '# c',
  '#',
  '# pmta-lint: disable-next-line',
  '# pmta-lint: microsoft-tier=',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\\',
  ',',
  '"',
  '\\"',
  '=',
  '\u0000',
  '\u0007',
  '\ufffd',
  '\ufeff',
  '\u00a0',
  '\u2028',
  'é',
  '😀',
  '\ud800',
  'x',
  '5',
  'yes',
  '0.5/s',
];

const fragment = fc.constantFrom(...FRAGMENTS);
const word = fc.constantFrom(
  'max-smtp-out',
  'domain',
  'x',
  'a.com',
  'mode=backoff',
  '1/s',
  'reply',
  'mx',
  'include',
  '$m',
  'M_X',
);
const piece = fc.oneof(
  { weight: 5, arbitrary: fragment },
  { weight: 3, arbitrary: word },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);
/** Lines of a few pieces, sometimes ending in a continuation (`\` or `,`), joined by any line end. */
const line = fc
  .tuple(
    fc.constantFrom('', '', '    ', '\t', ' '),
    fc.array(piece, { maxLength: 6 }),
    fc.constantFrom(' ', ' ', ''),
    fc.constantFrom('', '', '', '\\', ',', ' \\', ' '),
  )
  .map(([indent, parts, sep, tail]) => indent + parts.join(sep) + tail);
const configish = fc
  .tuple(fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'), fc.array(piece, { maxLength: 20 }))
  .map(([lines, eol, loose]) => lines.join(eol) + loose.join(''));
const offsets = fc.array(fc.nat(), { minLength: 1, maxLength: 12 });

function withOffsets(text: string, raw: number[]): number[] {
  return raw.map((o) => o % (text.length + 1));
}

test('random config-like text', { timeout: TIMEOUT }, () => {
  run('config-like text', fc.tuple(configish, offsets), 3000, ([text, raw]) =>
    checkAll(text, withOffsets(text, raw), 'config-like text'),
  );
});

test('random unicode text and random bytes (decoded as UTF-8 and as Latin-1)', { timeout: TIMEOUT }, () => {
  run('unicode text', fc.tuple(fc.string({ unit: 'binary', maxLength: 300 }), offsets), 800, ([text, raw]) =>
    checkAll(text, withOffsets(text, raw), 'unicode text'),
  );
  run('bytes', fc.tuple(fc.uint8Array({ maxLength: 400 }), offsets), 500, ([bytes, raw]) => {
    for (const text of [new TextDecoder('utf-8').decode(bytes), Buffer.from(bytes).toString('latin1')])
      checkAll(text, withOffsets(text, raw), 'bytes');
  });
});

// mutations of real configs -------------------------------------------------------------------

const examplesDir = path.join(ROOT, 'examples');
const BASES: Array<{ name: string; text: string }> = [
  ...exampleFiles().map((f) => ({ name: 'examples/' + f, text: fs.readFileSync(path.join(examplesDir, f), 'utf8') })),
  ...corpusFiles().map((f) => ({ name: path.basename(f), text: fs.readFileSync(f, 'utf8') })),
];

type Mutation =
  | { op: 'delete' | 'duplicate' | 'cut-tag'; at: number }
  | { op: 'swap'; at: number; to: number }
  | { op: 'truncate'; at: number; col: number }
  | { op: 'inject'; at: number; col: number; what: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const, 'cut-tag' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), col: fc.nat() }),
  fc.record({
    op: fc.constant('inject' as const),
    at: fc.nat(),
    col: fc.nat(),
    what: fc.oneof(fragment, fc.string({ unit: 'binary', maxLength: 3 })),
  }),
);

function mutate(text: string, ops: Mutation[], eol: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  for (const m of ops) {
    const n = lines.length;
    const i = m.at % n;
    const l = lines[i];
    switch (m.op) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, l);
        break;
      case 'swap': {
        const j = m.to % n;
        [lines[i], lines[j]] = [lines[j], lines[i]];
        break;
      }
      case 'cut-tag': {
        // cut a tag in half: drop from the middle of the first tag on the line to its end
        const lt = l.indexOf('<');
        lines[i] = lt >= 0 ? l.slice(0, lt + Math.ceil((l.length - lt) / 2)) : l.slice(0, l.length >> 1);
        break;
      }
      case 'truncate':
        lines[i] = l.slice(0, m.col % (l.length + 1));
        break;
      case 'inject': {
        const col = m.col % (l.length + 1);
        lines[i] = l.slice(0, col) + m.what + l.slice(col);
        break;
      }
    }
    if (!lines.length) lines.push('');
  }
  return lines.join(eol);
}

test('mutations of the examples and of the real-config corpus', { timeout: TIMEOUT }, (t) => {
  if (!corpusFiles().length) t.diagnostic(`only the examples are mutated: ${CORPUS_MISSING}`);
  const arb = fc.tuple(
    fc.nat({ max: BASES.length - 1 }),
    fc.array(mutation, { minLength: 1, maxLength: 8 }),
    fc.constantFrom('\n', '\r\n', '\r'),
    offsets,
  );
  run('mutations', arb, 500, ([b, ops, eol, raw]) => {
    const text = mutate(BASES[b].text, ops, eol);
    checkAll(
      text,
      [...withOffsets(text, raw), ...interestingOffsets(text, 8).slice(0, 30)],
      `mutated ${BASES[b].name}`,
    );
  });
});

test('every base input itself, at many positions', { timeout: TIMEOUT }, () => {
  for (const b of BASES) checkAll(b.text, interestingOffsets(b.text, 40), b.name);
});

// split configurations ----------------------------------------------------------------------

test(
  'a configuration split into included files: each file, checked as part of it, gets the same findings open in the editor as from its configuration',
  { timeout: TIMEOUT },
  () => {
    const base = fc.oneof(
      { weight: 1, arbitrary: configish },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.nat({ max: BASES.length - 1 }), fc.array(mutation, { maxLength: 3 }))
          .map(([b, ops]) => (ops.length ? mutate(BASES[b].text, ops, '\n') : BASES[b].text)),
      },
    );
    // cut points as fractions of the line count; the root keeps the first part when `keep` is set
    const arb = fc.tuple(
      base,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      fc.boolean(),
      offsets,
    );
    run('split configurations', arb, 150, ([text, cuts, keep, nested, raw]) => {
      const lines = text.split('\n');
      const at = [...new Set(cuts.map((x) => Math.floor(x * lines.length)))].sort((a, b) => a - b);
      const parts: string[] = [];
      let from = 0;
      for (const k of [...at, lines.length]) {
        parts.push(lines.slice(from, k).join('\n'));
        from = k;
      }
      const rootText = keep ? (parts.shift() ?? '') : '';
      checkSplit(parts, rootText, raw, 'split input', nested);
    });
  },
);

// the browser's include host ------------------------------------------------------------------

test("the browser's include host finds what the Node host finds in the same files", { timeout: TIMEOUT }, async () => {
  // files of a layout (a space in a name, a folder of the same name at two depths), include paths: relative,
  // absolute (found by their trailing parts), globs of a name (with classes too); a glob in a folder name is
  // left out (the browser's host does not follow it)
  const FILES = [
    'config',
    'pmta.conf',
    'a b.conf',
    'conf.d/a.conf',
    'conf.d/b.conf',
    'conf.d/x.pmta',
    'conf.d/sub/c.conf',
    'pmta/config',
    'pmta/conf.d/a.conf',
    'pmta/conf.d/c.conf',
    'other/conf.d/b.conf',
  ];
  const PATHS = [
    'conf.d/a.conf',
    'conf.d/*.conf',
    '*.conf',
    'conf.d/?.conf',
    'conf.d/[ab].conf',
    'conf.d/[!a]*',
    '[a-c]*.conf',
    'conf.d/[.conf',
    '../conf.d/b.conf',
    './a b.conf',
    'a b.conf',
    'sub/c.conf',
    'conf.d/sub/*.conf',
    '/nonexistent/pmta/conf.d/*.conf',
    '/nonexistent/pmta/conf.d/a.conf',
    '/nonexistent/conf.d/b.conf',
    '/nonexistent/pmta/config',
    'config',
    'missing.conf',
    'conf.d/*.none',
  ];
  const arb = fc.tuple(
    fc.subarray(FILES, { minLength: 1 }),
    fc.nat(),
    fc.array(fc.constantFrom(...PATHS), { minLength: 1, maxLength: 4 }),
  );
  const details = await fc.check(
    fc.asyncProperty(arb, async ([files, which, paths]) => {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-hosts-')));
      try {
        for (const f of files) {
          fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
          fs.writeFileSync(path.join(dir, f), `# ${f}\n`);
        }
        const folder = pathToFileURL(dir).toString();
        const disk = new NodeIncludeHost();
        disk.setWorkspace([folder], true);
        const from = pathToFileURL(path.join(dir, files[which % files.length])).toString();
        const web = new WebIncludeHost(
          () => undefined,
          () => [],
        );
        web.setWorkspace([folder]);
        const read = (u: string) => fs.readFileSync(fileURLToPath(u), 'utf8');
        const reader = {
          readFiles: async (uris: string[]) =>
            uris.map((u) => (fs.statSync(fileURLToPath(u), { throwIfNoEntry: false })?.isFile() ? read(u) : null)),
          readDirectory: async (u: string) => {
            const p = fileURLToPath(u);
            return fs.existsSync(p)
              ? fs
                  .readdirSync(p, { withFileTypes: true })
                  .filter((e) => e.isFile())
                  .map((e) => e.name)
              : null;
          },
        };
        // as the server does: look up, read what was wanted through the client, again until nothing more is wanted
        for (let round = 0; round < 4; round++) {
          for (const p of paths) for (const u of web.resolveInclude(from, p)) web.readFile(u);
          if (!web.pending) break;
          await readAllThrough(web, reader);
        }
        if (web.pending) throw new Error('still wanting files after 4 rounds');
        for (const p of paths) {
          const node = disk.resolveInclude(from, p);
          const browser = web.resolveInclude(from, p);
          if (JSON.stringify(browser) !== JSON.stringify(node))
            throw new Error(
              `include ${p} from ${path.relative(dir, fileURLToPath(from))}: Node ${JSON.stringify(node.map((u) => path.relative(dir, fileURLToPath(u))))}, browser ${JSON.stringify(browser.map((u) => path.relative(dir, fileURLToPath(u))))}`,
            );
          for (const u of browser) if (web.readFile(u) !== disk.readFile(u)) throw new Error(`${u}: not the same text`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }),
    { seed: SEED, numRuns: runs(150), endOnFailure: true },
  );
  if (details.failed)
    throw new Error(
      `include hosts: property failed (seed ${details.seed}, path "${details.counterexamplePath}"): ${JSON.stringify(details.counterexample?.[0])}\n${(details.errorInstance as Error)?.message}`,
    );
});

// incremental parsing ------------------------------------------------------------------------

/** An edit: replace `remove` characters at `at` (both taken modulo the text's length) with `insert`. */
const edit = fc.record({
  at: fc.nat(),
  remove: fc.oneof(fc.constant(0), fc.nat({ max: 3 }), fc.nat({ max: 60 })),
  insert: fc.oneof(
    fc.constant(''),
    fragment,
    fc.array(piece, { maxLength: 4 }).map((p) => p.join(' ')),
    fc.constantFrom('\n', '\r\n', '\\\n', ',\n', '<', '>', '/'),
  ),
});

const URI = 'file:///fuzz/pmta/config';

function applyEdit(text: string, e: { at: number; remove: number; insert: string }): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

test(
  'a document edited again and again: taking lines over from the previous tree gives the tree and the findings of a fresh parse',
  { timeout: TIMEOUT },
  () => {
    const base = fc.oneof(
      configish,
      fc
        .tuple(fc.nat({ max: BASES.length - 1 }), fc.array(mutation, { maxLength: 3 }))
        .map(([b, ops]) => (ops.length ? mutate(BASES[b].text, ops, '\n') : BASES[b].text)),
    );
    run('incremental parsing', fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 6 })), 700, ([text, edits]) => {
      const versions: string[] = [];
      let current = text;
      for (const e of edits) versions.push((current = applyEdit(current, e)));
      checkVersions(text, versions, URI);
    });
  },
);
