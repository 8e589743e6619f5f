import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import {
  BOUNCE_CATEGORIES,
  isBounceCategory,
  RECORD_TYPE_INFO,
  recordType,
} from '../../server/src/knowledge/accounting';
import { hover } from '../../server/src/features/hover';
import { at, model } from '../helpers/util';

function md(h: Hover | null): string {
  return h ? (h.contents as MarkupContent).value : '';
}

test('record types: eight, each by its letters or its long name, in any case', () => {
  assert.deepEqual(
    RECORD_TYPE_INFO.map((t) => `${t.code}=${t.long}`),
    [
      'd=delivery',
      'b=bounce',
      't=transient',
      'tq=transient-queue',
      'r=receipt',
      'f=feedback-loop',
      'rb=remote-bounce',
      'rs=remote-status',
    ],
  );
  assert.equal(recordType('RB')?.code, 'rb');
  assert.equal(recordType('Remote-Status')?.code, 'rs');
  assert.equal(recordType('all'), undefined);
});

test('bounce categories: the seventeen, and success from the stock patterns', () => {
  assert.equal(BOUNCE_CATEGORIES.length, 17);
  for (const c of ['bad-mailbox', 'Policy-Related', 'other', 'success']) assert.ok(isBounceCategory(c), c);
  for (const c of ['ploicy-related', 'invalid-mailbox', 'catch-all']) assert.ok(!isBounceCategory(c), c);
});

test('hover on a record type says what its records hold', () => {
  const text = '<acct-file /x.csv>\n    records d,rb\n    record-fields rs *\n</acct-file>\n';
  const m = model(text);
  assert.equal(
    md(hover(m, at(text, 'rb'), {}, [])),
    '**records** `rb`: record type rb (remote-bounce), bounces sent back by remote servers, found by the bounce processor',
  );
  assert.equal(
    md(hover(m, at(text, 'rs *'), {}, [])),
    '**record-fields** `rs`: record type rs (remote-status), remote status reports, found by the bounce processor',
  );
  assert.equal(hover(m, at(text, '*'), {}, []), null);
});
