/**
 * Benchmarks: parse and lint speed and memory on generated configs of growing size, plus the
 * latency of editor requests on the largest. Prints figures; asserts nothing.
 *   npm run bench
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from '../server/src/parser/parser';
import { isDirectiveName } from '../server/src/knowledge/catalog';
import { PmtaLanguageService } from '../server/src/service';

function generate(vmtas: number): string {
  const out: string[] = ['# generated benchmark config', 'postmaster postmaster@example.com', 'log-file /var/log/pmta/pmta.log', ''];
  out.push('domain-macro hotmail hotmail.com, live.com, msn.com, outlook.com, hotmail.co.uk, hotmail.de', '');
  for (let i = 0; i < vmtas; i++) {
    out.push(`<virtual-mta mta${i}>`, `    smtp-source-host 10.${(i >> 8) & 255}.${i & 255}.1 mta${i}.example.com`, '    <domain *>', '        max-smtp-out 5', '        max-msg-rate 300/h', '    </domain>', '</virtual-mta>', '');
  }
  out.push('<virtual-mta-pool pool-all>');
  for (let i = 0; i < vmtas; i++) out.push(`    virtual-mta mta${i}`);
  out.push('</virtual-mta-pool>', '');
  out.push('<smtp-pattern-list errors>');
  for (let i = 0; i < 200; i++) out.push(`    reply /^421 .* error number ${i}/ mode=backoff,backoff-to-normal-after=30m   # rule ${i}`);
  out.push('</smtp-pattern-list>', '');
  for (let i = 0; i < vmtas; i++) {
    out.push(`<domain customer${i}.example>`, '    max-smtp-out 2', '    retry-after 10m,20m,1h', '    smtp-pattern-list errors', '    dkim-sign yes', '</domain>', '');
  }
  out.push('<domain $hotmail>', '    max-smtp-out 2', '</domain>', '<domain *>', '    max-smtp-out 10', '    bounce-after 2d', '</domain>', '');
  return out.join('\n');
}

function time<T>(fn: () => T, runs = 5): { ms: number; value: T } {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    value = fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < best) best = ms;
  }
  return { ms: best, value };
}

function mb(n: number): string {
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

const gc = (globalThis as { gc?: () => void }).gc;
console.log('pmta-lsp benchmarks (best of 5 runs; memory is heap growth for one analysed document)');
console.log('lines\tKB\tparse ms\tlint ms\tcached lint ms\tlines/s (lint)\theap');
let last: { text: string } | undefined;
for (const n of [100, 1000, 5000, 10000]) {
  const text = generate(n);
  const lines = text.split('\n').length;
  const p = time(() => parse(text, { isDirectiveName }));
  const l = time(() => new PmtaLanguageService().lint(TextDocument.create('file:///b.pmta', 'powermta', 1, text)));
  const service = new PmtaLanguageService();
  const d = TextDocument.create('file:///b.pmta', 'powermta', 1, text);
  service.lint(d);
  const c = time(() => service.lint(d));
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const keep = new PmtaLanguageService();
  keep.lint(TextDocument.create('file:///m.pmta', 'powermta', 1, text));
  gc?.();
  const heap = process.memoryUsage().heapUsed - before;
  console.log(`${lines}\t${(text.length / 1024).toFixed(0)}\t${p.ms.toFixed(1)}\t\t${l.ms.toFixed(1)}\t${c.ms.toFixed(3)}\t\t${Math.round(lines / (l.ms / 1000))}\t\t${mb(heap)}${gc ? '' : ' (run with --expose-gc for exact figures)'}`);
  void keep;
  last = { text };
}

// editor requests on the largest document, after the first analysis
const text = last!.text;
const service = new PmtaLanguageService();
const d = TextDocument.create('file:///big.pmta', 'powermta', 1, text);
service.lint(d);
const lineCount = d.lineCount;
const pos = { line: Math.floor(lineCount / 2), character: 6 };
const h = time(() => service.hover(d, pos), 20);
const co = time(() => service.complete(d, { line: Math.floor(lineCount / 2), character: 4 }), 20);
const sy = time(() => service.documentSymbols(d), 5);
const fo = time(() => service.foldingRanges(d), 5);
const fm = time(() => service.format(d, { tabSize: 4, insertSpaces: true }), 3);
console.log(`\nrequests on ${lineCount} lines (best of runs, ms): hover ${h.ms.toFixed(2)}, completion ${co.ms.toFixed(2)}, symbols ${sy.ms.toFixed(1)}, folding ${fo.ms.toFixed(1)}, format ${fm.ms.toFixed(1)}`);
// a keystroke: new version, full re-analysis
const edited = TextDocument.create('file:///big.pmta', 'powermta', 2, text.replace('max-smtp-out 2', 'max-smtp-out 3'));
const ks = time(() => new PmtaLanguageService().validate(edited), 3);
console.log(`keystroke re-validation of ${lineCount} lines: ${ks.ms.toFixed(1)} ms`);
