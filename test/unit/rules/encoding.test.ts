/** The `encoding` rule: a file that is not valid UTF-8 gets one information finding, and is checked as any other. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBytes } from '../../../server/src/util/encoding';
import { lint, show } from '../../helpers/util';

/** A configuration with non-ASCII letters in a comment, a path and a value. */
const CONFIG =
  '# Konfiguration für Müller\n<acct-file /var/log/pmta/müller.csv>\n    move-interval 5m\n</acct-file>\n<domain a.com>\n    max-smtp-out 20\n    retry-after soon\n</domain>\n';

/** The same configuration as a file saved in ISO-8859-1, decoded as pmta-lint reads it. */
const LATIN1 = decodeBytes(Buffer.from(CONFIG, 'latin1')).text;

/** The same configuration as an editor shows the ISO-8859-1 file read as UTF-8. */
const REPLACED = Buffer.from(CONFIG, 'latin1').toString('utf8');

/** The findings of every other rule, as rule@offsets. */
const others = (text: string) =>
  lint(text)
    .filter((f) => f.rule !== 'encoding')
    .map((f) => `${f.rule}@${f.span.start}-${f.span.end}`);

test('encoding: bytes that are not UTF-8 get one information finding, on the first, with their number', () => {
  assert.deepEqual(show(LATIN1, lint(LATIN1), 'encoding'), [
    '1:18-1:19 "\\udcfc" | This file is not valid UTF-8: 3 bytes are not (the first here, 0xFC), as in a file saved as ISO-8859-1 or Windows-1252. ' +
      'PowerMTA reads bytes, so this is no error: they are checked as ordinary characters, and --fix writes them back unchanged; ' +
      'an editor that reads the file as UTF-8 shows them as U+FFFD, and saving it from there would replace them.',
  ]);
  assert.equal(lint(LATIN1).find((f) => f.rule === 'encoding')?.severity, 'information');
  const one = decodeBytes(Buffer.from('# \xe9\n', 'latin1')).text;
  assert.match(
    lint(one).find((f) => f.rule === 'encoding')?.message ?? '',
    /^This file is not valid UTF-8: 1 byte is not \(the first here, 0xE9\)/,
  );
});

test('encoding: no syntax error per byte, no cascade: every other rule finds what it finds in the UTF-8 file', () => {
  assert.deepEqual(others(LATIN1), others(CONFIG));
  assert.deepEqual(others(REPLACED), others(CONFIG));
  assert.deepEqual(others(CONFIG), ['invalid-value@149-153']);
  assert.ok(!lint(REPLACED).some((f) => f.rule === 'syntax'));
});

test('encoding: replacement characters (a file an editor read as UTF-8) get one finding that says how to keep the bytes', () => {
  assert.deepEqual(show(REPLACED, lint(REPLACED), 'encoding'), [
    '1:18-1:19 "\ufffd" | This file holds 3 replacement characters (U+FFFD, the first here): the mark left where bytes were not valid UTF-8 when the file was read. ' +
      'If the file is in another encoding (such as ISO-8859-1), reopen it in that encoding before you save it (in VS Code: "Reopen with Encoding"), or those bytes are lost.',
  ]);
  assert.match(
    lint('# \ufffd\n').find((f) => f.rule === 'encoding')?.message ?? '',
    /^This file holds a replacement character \(U\+FFFD/,
  );
});

test('encoding: valid UTF-8 gets none, a surrogate pair whose second half looks like an escape included; the rule can be turned off', () => {
  assert.deepEqual(show(CONFIG, lint(CONFIG), 'encoding'), []);
  // U+1F4A9 is D83D DCA9: its second half is in the range of the escapes, but it is half of a pair
  const pair = '# \u{1F4A9} and ü and 日本\n';
  assert.deepEqual(show(pair, lint(pair), 'encoding'), []);
  assert.deepEqual(show(LATIN1, lint(LATIN1, { rules: { encoding: 'off' } }), 'encoding'), []);
});
