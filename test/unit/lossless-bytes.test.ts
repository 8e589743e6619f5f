/**
 * Bytes to text and back without loss (util/encoding.ts), as pmta-lint and the Node include host read
 * files: UTF-8, each other byte kept as its escape, the byte order mark kept apart; and the parser's
 * reading of a byte order mark left in a text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import fc from 'fast-check';
import { byteEscapes, decodeBytes, encodeText } from '../../server/src/util/encoding';
import { NodeIncludeHost } from '../../server/src/hosts/nodeHost';
import { parse, rebuild } from '../../server/src/parser/parser';
import { lint, show } from '../helpers/util';

const bytes = (...b: number[]) => Uint8Array.from(b);

test('any bytes decode and encode back to the same bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      const d = decodeBytes(b);
      assert.deepEqual(encodeText(d.text, d.bom), b);
    }),
    { seed: 20251124, numRuns: 3000 },
  );
  // bytes that look like UTF-8 more often: fragments of valid and broken sequences
  const piece = fc.constantFrom(
    [0x41],
    [0x0d, 0x0a],
    [0xc3, 0xbc],
    [0xfc],
    [0xe2, 0x82, 0xac],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x92, 0xa9],
    [0xed, 0xb2, 0xa9],
    [0xef, 0xbb, 0xbf],
    [0xc0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0x80],
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
      const b = Uint8Array.from(pieces.flat());
      const d = decodeBytes(b);
      assert.deepEqual(encodeText(d.text, d.bom), b);
    }),
    { seed: 20251124, numRuns: 3000 },
  );
});

test('valid UTF-8 is decoded as UTF-8; each other byte is one escape (U+DC00 + the byte), counted', () => {
  assert.deepEqual(decodeBytes(Buffer.from('müller 😀\r\n', 'utf8')), {
    text: 'müller 😀\r\n',
    bom: false,
    invalid: 0,
  });
  // ISO-8859-1 ü, a Windows-1252 euro sign, a lone continuation byte
  assert.deepEqual(decodeBytes(bytes(0x6d, 0xfc, 0x6c, 0x80, 0x20, 0xbf)), {
    text: 'm\udcfcl\udc80 \udcbf',
    bom: false,
    invalid: 3,
  });
  // mixed: UTF-8 ü and ISO-8859-1 ü in one file
  assert.deepEqual(decodeBytes(bytes(0xc3, 0xbc, 0x2f, 0xfc)), { text: 'ü/\udcfc', bom: false, invalid: 1 });
  // what UTF-8 forbids is escaped byte by byte: an overlong form, an encoded surrogate, beyond U+10FFFF, a cut sequence
  assert.equal(decodeBytes(bytes(0xc0, 0x80)).text, '\udcc0\udc80');
  assert.equal(decodeBytes(bytes(0xed, 0xb2, 0xa9)).text, '\udced\udcb2\udca9');
  assert.equal(decodeBytes(bytes(0xf4, 0x90, 0x80, 0x80)).text, '\udcf4\udc90\udc80\udc80');
  assert.equal(decodeBytes(bytes(0x61, 0xe2, 0x82)).text, 'a\udce2\udc82');
  assert.deepEqual(byteEscapes('m\udcfcl \u{1F4A9} \udc80'), [1, 7]);
});

test('a UTF-8 byte order mark is taken off the text and put back; one in the middle of a file is text', () => {
  const d = decodeBytes(bytes(0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x3e, 0x0d, 0x0a));
  assert.deepEqual(d, { text: '<a>\r\n', bom: true, invalid: 0 });
  assert.deepEqual(encodeText(d.text, d.bom), bytes(0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x3e, 0x0d, 0x0a));
  assert.deepEqual(encodeText('<a>'), bytes(0x3c, 0x61, 0x3e));
  assert.deepEqual(decodeBytes(bytes(0x61, 0xef, 0xbb, 0xbf)), { text: 'a\ufeff', bom: false, invalid: 0 });
  // with bytes that are not UTF-8 after it
  assert.deepEqual(decodeBytes(bytes(0xef, 0xbb, 0xbf, 0xfc)), { text: '\udcfc', bom: true, invalid: 1 });
});

test('text inserted into a decoded file is written as UTF-8, the bytes around it as they were', () => {
  const d = decodeBytes(Buffer.from('# f\xfcr\r\nmax-conn-rate 1/s\r\n', 'latin1'));
  const fixed = d.text.replace('max-conn-rate', 'max-connect-rate') + '# → ok\r\n';
  assert.deepEqual(
    Buffer.from(encodeText(fixed, d.bom)),
    Buffer.concat([Buffer.from('# f\xfcr\r\nmax-connect-rate 1/s\r\n', 'latin1'), Buffer.from('# → ok\r\n', 'utf8')]),
  );
});

test('the Node include host reads included files without loss and without the byte order mark, nearby configurations too', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmta-bytes-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'latin1.conf'),
      Buffer.from('<acct-file /var/log/pmta/m\xfcller.csv>\r\n</acct-file>\r\n', 'latin1'),
    );
    fs.writeFileSync(
      path.join(dir, 'config'),
      Buffer.concat([bytes(0xef, 0xbb, 0xbf), Buffer.from('include latin1.conf # f\xfcr M\xfcller\n', 'latin1')]),
    );
    const host = new NodeIncludeHost();
    const uri = pathToFileURL(path.join(dir, 'latin1.conf')).toString();
    assert.equal(host.readFile(uri), '<acct-file /var/log/pmta/m\udcfcller.csv>\r\n</acct-file>\r\n');
    const near = host.nearbyConfigs(uri);
    assert.deepEqual(
      near.map((c) => c.text),
      ['include latin1.conf # f\udcfcr M\udcfcller\n'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('parser: a byte order mark left at the start of a text is trivia, not a malformed line; the text rebuilds', () => {
  const text = '\ufeff<domain a.com>\n    max-smtp-out 4\n</domain>\n';
  assert.deepEqual(lint(text), []);
  assert.equal(rebuild(parse(text)), text);
  const directive = '\ufeffretry-after soon\n';
  assert.deepEqual(show(directive, lint(directive)), [
    '1:2-1:13 "retry-after" | "retry-after" is not allowed at the global level; it belongs in <domain>',
    '1:14-1:18 "soon" | retry-after: "soon": expected a time interval such as 30s, 20m, 4h, 1d or 4d12h',
  ]);
  // elsewhere it is not a byte order mark (a zero-width no-break space, which PowerMTA does not skip)
  const inside = '<domain a.com>\n\ufeffmax-smtp-out 4\n</domain>\n';
  assert.deepEqual(show(inside, lint(inside)), [
    '2:1-2:16 "\ufeffmax-smtp-out 4" | Malformed line: expected a directive, a <tag> or a comment',
  ]);
});

test('byteEscapes: every U+DC80–U+DCFF that is not the second half of a surrogate pair, in random texts', () => {
  const unit = fc.constantFrom('a', '\udc80', '\udcff', '\udc7f', '\udd00', '\ud800', '\udbff', '\ud83d', 'é', '\n');
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
      const want: number[] = [];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        const before = i > 0 ? text.charCodeAt(i - 1) : 0;
        if (c >= 0xdc80 && c <= 0xdcff && !(before >= 0xd800 && before <= 0xdbff)) want.push(i);
      }
      assert.deepEqual(byteEscapes(text), want, JSON.stringify(text));
    }),
    { numRuns: 2000, seed: 11 },
  );
});
