import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineNo, safeExpand, type Model } from '../../server/src/model';
import { at, model } from '../helpers/util';

test('lineNo: the 1-based line of an offset, line endings of any kind', () => {
  const text = 'a 1\r\nb 2\nc 3\rd 4';
  const m = model(text);
  assert.deepEqual(
    ['a', 'b', 'c', 'd'].map((w) => lineNo(m, at(text, w))),
    [1, 2, 3, 4],
  );
  assert.equal(lineNo(m, 0), 1);
  assert.equal(lineNo(m, text.length), 4);
});

test('domain-macro: the items are the words split at commas and trimmed; each $name is a reference where it stands', () => {
  const text = 'domain-macro m1 $a, b.com,,$b$$c_1, "x , y" $ ,\u00a0\n<domain $m1>\n</domain>\n';
  const m = model(text);
  assert.deepEqual(m.macros.get('m1')?.items, ['$a', 'b.com', '$b$$c_1', 'x', 'y', '$']);
  assert.deepEqual(
    m.references.filter((r) => r.kind === 'domain-macro').map((r) => [r.name, text.slice(r.span.start, r.span.end)]),
    [
      ['a', 'a'],
      ['b', 'b'],
      ['c_1', 'c_1'],
      ['m1', 'm1'],
    ],
  );
});

test('safeExpand: what expandDomain gives, undefined for an unknown macro or a failing expansion', () => {
  const m = model('domain-macro ms hotmail.com, $more\ndomain-macro more live.com, msn.com\ndomain-macro loop $loop\n');
  assert.deepEqual(safeExpand(m, '$ms'), ['hotmail.com', 'live.com', 'msn.com']);
  assert.deepEqual(safeExpand(m, 'Example.COM'), ['example.com']);
  assert.equal(safeExpand(m, '$nowhere'), undefined);
  assert.equal(safeExpand(m, '$loop'), undefined);
  const failing = {
    expandDomain: () => {
      throw new RangeError('Maximum call stack size exceeded');
    },
  } as unknown as Model;
  assert.equal(safeExpand(failing, '$ms'), undefined);
});

test('expandDomain: macros naming macros are expanded once each; too deep a chain, or too many domains, is not expanded', () => {
  // each macro names the one before twice: 40 levels stand for the same two domains
  const doubling =
    [
      'domain-macro m0 a.example, b.example',
      ...Array.from({ length: 40 }, (_, i) => `domain-macro m${i + 1} $m${i}, $m${i}, c${i}.example`),
    ].join('\n') + '\n';
  const d = model(doubling);
  assert.deepEqual(d.expandDomain('$m40'), [
    'a.example',
    'b.example',
    ...Array.from({ length: 40 }, (_, i) => `c${i}.example`),
  ]);
  assert.deepEqual(d.expandDomain('x.$M2'), ['x.a.example', 'x.b.example', 'x.c0.example', 'x.c1.example']);
  // a chain: 64 macros deep is followed, 65 is not
  const chain =
    ['domain-macro m0 a.example', ...Array.from({ length: 70 }, (_, i) => `domain-macro m${i + 1} $m${i}`)].join('\n') +
    '\n';
  const c = model(chain);
  assert.deepEqual(c.expandDomain('$m63'), ['a.example']);
  assert.equal(c.expandDomain('$m64'), undefined);
  assert.equal(c.expandDomain('$m70'), undefined);
  // each level doubles the domains (two prefixes); more than 100,000 domains are too many
  const prefixes =
    [
      'domain-macro p0 a.example',
      ...Array.from({ length: 10 }, (_, i) => `domain-macro p${i + 1} x.$p${i}, y.$p${i}`),
    ].join('\n') + '\n';
  const p = model(prefixes);
  assert.equal(p.expandDomain('$p10')!.length, 1024);
  assert.deepEqual(p.expandDomain('$p2'), ['x.x.a.example', 'x.y.a.example', 'y.x.a.example', 'y.y.a.example']);
  const big = Array.from({ length: 50001 }, (_, i) => `d${i}.example`).join(', ');
  const many = model(`domain-macro big ${big}\ndomain-macro all $big, x.$big\ndomain-macro most $big, x.d0.example\n`);
  assert.equal(many.expandDomain('$big')!.length, 50001);
  assert.equal(many.expandDomain('$all'), undefined);
  assert.equal(many.expandDomain('$most')!.length, 50002);
  // the same macro twice in one pattern is a loop, as before
  assert.equal(model('domain-macro m a.example\n').expandDomain('$m.$m'), undefined);
  // a copy each time: changing one does not change the next
  const first = d.expandDomain('$m1')!;
  first.push('changed');
  assert.deepEqual(d.expandDomain('$m1'), ['a.example', 'b.example', 'c0.example']);
});
