/** The `unresolved-include` rule: an `include` that could not be followed, so names it may define are not checked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PmtaLanguageService } from '../../../server/src/service';
import { doc, lint, memoryHost, show } from '../../helpers/util';

const CONFIG = 'file:///etc/pmta/config';

/** A service whose include host holds `files`. */
function service(files: Record<string, string>): PmtaLanguageService {
  return new PmtaLanguageService({ host: memoryHost(files) });
}

test('unresolved-include: a path or a glob that finds no file is information on the path, without a fix', () => {
  const text = 'include /etc/pmta/missing.conf\ninclude conf.d/*.conf\ninclude /etc/pmta/ok.conf\n';
  const f = service({ 'file:///etc/pmta/ok.conf': '<virtual-mta v>\n</virtual-mta>\n' }).lint(doc(text, CONFIG));
  assert.deepEqual(show(text, f), [
    '1:9-1:31 "/etc/pmta/missing.conf" | Include not followed: no file found for "/etc/pmta/missing.conf"; names defined there are not checked',
    '2:9-2:22 "conf.d/*.conf" | Include not followed: no file found for "conf.d/*.conf"; names defined there are not checked',
  ]);
  assert.deepEqual(
    f.map((x) => [x.rule, x.severity, x.fixes.length]),
    [
      ['unresolved-include', 'information', 0],
      ['unresolved-include', 'information', 0],
    ],
  );
});

test('unresolved-include: an include cycle, with the chain of files', () => {
  const text = 'include /etc/pmta/self.conf\n';
  const f = service({ 'file:///etc/pmta/self.conf': text }).lint(doc(text, 'file:///etc/pmta/self.conf'));
  assert.deepEqual(show(text, f), [
    '1:9-1:28 "/etc/pmta/self.conf" | Include not followed: include cycle: self.conf → self.conf; names defined there are not checked',
  ]);
});

test('unresolved-include: nothing when includes are not followed (no host, or the setting off) or are not files (URLs, shares, placeholders)', () => {
  const missing = 'include /etc/pmta/missing.conf\n';
  assert.deepEqual(lint(missing), []);
  assert.deepEqual(service({}).lint(doc(missing, CONFIG), { settings: { includes: { resolve: false } } }), []);
  const skipped = 'include {{path}}\ninclude https://example.com/x.conf\ninclude \\\\server\\share\\x.conf\n';
  assert.deepEqual(service({}).lint(doc(skipped, CONFIG)), []);
});
