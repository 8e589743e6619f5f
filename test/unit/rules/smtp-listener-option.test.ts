/** The smtp-listener-option rule: after its address, smtp-listener takes only source=NAME. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { lint, show } from '../../helpers/util';

const RULE = 'smtp-listener-option';
const found = (text: string) => lint(text).filter((f) => f.rule === RULE);

test('smtp-listener-option: tls=yes is not an option of the directive; the message names the block, the fix removes it', () => {
  const text = 'smtp-listener 0/0:465 tls=yes\n';
  const f = found(text);
  assert.deepEqual(show(text, f), [
    '1:23-1:30 "tls=yes" | Unknown smtp-listener option "tls=yes": after its address the directive takes only source=NAME. For TLS from the first byte (SMTPS, usually port 465), write an <smtp-listener 0/0:465> block with "immediate-tls yes" (and tls-certificate); STARTTLS is allowed per <source> with allow-starttls.',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(
    f[0].fixes.map((x) => [x.title, x.isPreferred, x.safe]),
    [['Remove "tls=yes"', undefined, undefined]],
  );
  assert.equal(applyChanges(text, f[0].fixes[0].changes), 'smtp-listener 0/0:465\n');
});

test('smtp-listener-option: other unknown options, source= without a name, a second source=', () => {
  const text =
    '<source a>\n</source>\n<source b>\n</source>\nsmtp-listener 0/0:25 source=a backlog=50\nsmtp-listener 0/0:26 source=\nsmtp-listener 0/0:27 source=a source=b\n';
  const f = found(text);
  assert.deepEqual(show(text, f), [
    '5:31-5:41 "backlog=50" | Unknown smtp-listener option "backlog=50": after its address the directive takes only source=NAME. Other settings of a listener go in an <smtp-listener ADDRESS:PORT> block.',
    '6:22-6:29 "source=" | source= needs the name of a <source> whose settings this listener hands to its clients (source=NAME)',
    '7:31-7:39 "source=b" | A second source= on this listener (the first is "source=a"); a listener hands one named source to its clients',
  ]);
  assert.equal(applyChanges(text, f[2].fixes[0].changes).split('\n')[6], 'smtp-listener 0/0:27 source=a');
});

test('smtp-listener-option: the address alone and source=NAME are fine', () => {
  assert.deepEqual(
    found('<source mta1>\n</source>\nsmtp-listener 1.2.3.4:25 source=mta1\nsmtp-listener 0.0.0.0:26\n'),
    [],
  );
});

test('smtp-listener-option: a source= naming no <source> is an undefined reference, with a did-you-mean', () => {
  const text = '<source relay>\n</source>\nsmtp-listener 0/0:25 source=rellay\nsmtp-listener 0/0:26 source={auth}\n';
  const f = lint(text).filter((x) => x.rule === 'undefined-reference');
  assert.deepEqual(show(text, f), ['3:29-3:35 "rellay" | The source "rellay" is not defined; did you mean "relay"?']);
  assert.equal(applyChanges(text, f[0].fixes[0].changes).split('\n')[2], 'smtp-listener 0/0:25 source=relay');
});
