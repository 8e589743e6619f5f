import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../server/src/features/codeActions';
import { PmtaLanguageService } from '../../../server/src/service';
import { doc, lint, memoryHost, show } from '../../helpers/util';

const only = (text: string) => lint(text).filter((f) => f.rule === 'pattern-list-order');

const VMTA = '<virtual-mta v>\n</virtual-mta>\n';
const LIST = '<pattern-list sel>\n    mail-from /x/ virtual-mta=v\n</pattern-list>\n';
const SOURCE = '<source 0/0>\n    pattern-list sel\n</source>\n';

test('pattern-list-order: a <source> before the <pattern-list> it names; the fix moves the list above it', () => {
  const text = VMTA + SOURCE + '# the list\n' + LIST.slice(0, -1);
  const f = only(text);
  assert.deepEqual(show(text, f), [
    '4:18-4:21 "sel" | The pattern list "sel" is defined at line 7, after this <source 0/0> (line 3); PowerMTA needs a <pattern-list> to come before the <source> that uses it. Move <pattern-list sel> above <source 0/0>.',
  ]);
  assert.equal(f[0].severity, 'error');
  assert.deepEqual(
    f[0].related?.map((r) => [text.slice(r.span.start, r.span.end), r.message]),
    [['sel', 'the pattern list, defined here']],
  );
  assert.equal(f[0].fixes[0].title, 'Move <pattern-list sel> above <source 0/0>');
  const fixed = applyChanges(text, f[0].fixes[0].changes);
  assert.equal(fixed, VMTA + LIST + SOURCE + '# the list\n');
  assert.deepEqual(lint(fixed), []);
});

test("pattern-list-order: the list first is right; an unknown list is undefined-reference's", () => {
  assert.deepEqual(lint(VMTA + LIST + SOURCE), []);
  const f = lint(SOURCE);
  assert.deepEqual(
    f.map((x) => x.rule),
    ['undefined-reference'],
  );
});

function configuration(files: Record<string, string>) {
  const svc = new PmtaLanguageService({ host: memoryHost(files) });
  const uri = 'file:///etc/pmta/config';
  const own = svc.lint(doc(files[uri], uri)).filter((f) => f.rule === 'pattern-list-order');
  const included = svc.lintIncluded(doc(files[uri], uri)).map((i) => ({
    uri: i.uri,
    shown: show(
      i.doc.getText(),
      i.findings.filter((f) => f.rule === 'pattern-list-order'),
    ),
  }));
  return { own: show(files[uri], own), ownFindings: own, included };
}

test('pattern-list-order: across included files, in the order the configuration reads them', () => {
  const late = configuration({
    'file:///etc/pmta/config': 'include /etc/pmta/conf.d/*.conf\n',
    'file:///etc/pmta/conf.d/a-source.conf': SOURCE,
    'file:///etc/pmta/conf.d/b-lists.conf': VMTA + LIST,
  });
  assert.deepEqual(late.own, []);
  assert.deepEqual(late.included, [
    {
      uri: 'file:///etc/pmta/conf.d/a-source.conf',
      shown: [
        '2:18-2:21 "sel" | The pattern list "sel" is defined in b-lists.conf, which the configuration reads after this <source 0/0>; PowerMTA needs a <pattern-list> to come before the <source> that uses it. Move <pattern-list sel> above <source 0/0>.',
      ],
    },
    { uri: 'file:///etc/pmta/conf.d/b-lists.conf', shown: [] },
  ]);
  // in the other order, nothing
  const early = configuration({
    'file:///etc/pmta/config': 'include /etc/pmta/conf.d/*.conf\n',
    'file:///etc/pmta/conf.d/a-lists.conf': VMTA + LIST,
    'file:///etc/pmta/conf.d/b-source.conf': SOURCE,
  });
  assert.deepEqual(
    early.included.flatMap((i) => i.shown),
    [],
  );
});

test('pattern-list-order: an include line stands for its file at its place; the list in another file gets no fix', () => {
  const c = configuration({
    'file:///etc/pmta/config': SOURCE + 'include /etc/pmta/lists.conf\n',
    'file:///etc/pmta/lists.conf': VMTA + LIST,
  });
  assert.deepEqual(c.own, [
    '2:18-2:21 "sel" | The pattern list "sel" is defined in lists.conf, which the configuration reads after this <source 0/0>; PowerMTA needs a <pattern-list> to come before the <source> that uses it. Move <pattern-list sel> above <source 0/0>.',
  ]);
  assert.deepEqual(c.ownFindings[0].fixes, []);
  assert.equal(c.ownFindings[0].related?.[0].uri, 'file:///etc/pmta/lists.conf');
  const before = configuration({
    'file:///etc/pmta/config': 'include /etc/pmta/lists.conf\n' + SOURCE,
    'file:///etc/pmta/lists.conf': VMTA + LIST,
  });
  assert.deepEqual(before.own, []);
});

test('pattern-list-order: an include that could not be read before the source may define the list: nothing is reported', () => {
  const c = configuration({
    'file:///etc/pmta/config': 'include /etc/pmta/missing.conf\n' + SOURCE + VMTA + LIST,
  });
  assert.deepEqual(c.own, []);
});
