import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { positionIn } from '../../server/src/util/positions';
import { parse } from '../../server/src/parser/parser';
import { Model } from '../../server/src/model';

/** The line starts the parser found, as a plain array. */
const lineStarts = (text: string) => [...parse(text).lineStarts];

test("the tree's line starts: 0, then after every \\r\\n, \\r and \\n; a final line end starts an empty line", () => {
  assert.deepEqual(lineStarts(''), [0]);
  assert.deepEqual(lineStarts('a'), [0]);
  assert.deepEqual(lineStarts('a\nb\n'), [0, 2, 4]);
  assert.deepEqual(lineStarts('a\r\nb\rc\n\r\n'), [0, 3, 5, 7, 9]);
});

test("positionIn with the tree's line starts: the position TextDocument.positionAt gives, for every offset of random texts (and outside them)", () => {
  const unit = fc.constantFrom('a', ' ', '\r', '\n', '\r\n', '\u2028', 'é');
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
      const doc = TextDocument.create('file:///p', 'powermta', 1, text);
      const starts = parse(text).lineStarts;
      for (let offset = -2; offset <= text.length + 2; offset++)
        assert.deepEqual(positionIn(text, starts, offset), doc.positionAt(offset), JSON.stringify({ text, offset }));
    }),
    { numRuns: 500, seed: 5 },
  );
});

test('a model places spans as its document does, inside a CRLF line end too', () => {
  const text = 'a b\r\n<domain x>\r\n  mx-rollup outlook.com\r\n</domain>\r\n';
  const doc = TextDocument.create('file:///p', 'powermta', 1, text);
  const model = new Model(doc);
  assert.deepEqual(model.positionAt(4), { line: 0, character: 3 });
  assert.deepEqual(model.range({ start: 20, end: text.length }), {
    start: { line: 2, character: 3 },
    end: { line: 4, character: 0 },
  });
  for (let offset = 0; offset <= text.length; offset++)
    assert.deepEqual(model.positionAt(offset), doc.positionAt(offset));
});
