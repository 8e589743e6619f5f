/**
 * A person's session in real VS Code (code-server, in Debian's chromium, driven by playwright-core) with the
 * packaged extension installed: open a config, see the problems, hover a Microsoft reply code, apply the
 * rollup quick fix, insert a snippet, open one file of a configuration split into conf.d, run the Microsoft
 * delivery report on an accounting file. Then the same extension as VS Code for the Web runs it, in a web
 * worker. A screenshot of each step goes to test-results/.
 *
 * Run it with `npm run test:e2e` (scripts/e2e.mjs), which installs what it needs, builds and installs the
 * .vsix, starts code-server on 127.0.0.1 and passes its address in PMTA_E2E_URL.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, Browser, Frame, Page } from 'playwright-core';

const URL = process.env.PMTA_E2E_URL;
const WORKSPACE = process.env.PMTA_E2E_WORKSPACE;
/** The second code-server, which runs the extension in the browser's web worker extension host. */
const WEB_URL = process.env.PMTA_E2E_WEB_URL;
const RESULTS = process.env.PMTA_E2E_RESULTS ?? path.resolve('test-results');
const CHROMIUM_ARGS = (process.env.PMTA_E2E_CHROMIUM_ARGS ?? '--no-sandbox').split(' ');
const FILE = 'microsoft.pmta';
/** An accounting file (test/fixtures/accounting/) that scripts/e2e.mjs copies into logs/ of both workspaces. */
const ACCOUNTING = 'acct-outlook-block.csv';
/** Its IP that Outlook.com blocks (S3150), mta1's in microsoft.pmta. */
const BLOCKED_IP = '192.0.2.10';
const SLOW = { timeout: 30000 };

let browser: Browser;
let page: Page;
let failed = false;
let shot = 0;

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

before(async () => {
  assert.ok(
    URL && WORKSPACE,
    'run through `npm run test:e2e` (PMTA_E2E_URL and PMTA_E2E_WORKSPACE are set by scripts/e2e.mjs)',
  );
  fs.mkdirSync(RESULTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.PMTA_E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20000);
});

after(async () => {
  await browser?.close();
});

/** A step of the session: skipped once an earlier step failed, screenshot at its end (or where it failed). */
function step(name: string, body: () => Promise<void>): void {
  test(name, { timeout: 120000 }, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    const n = String(++shot).padStart(2, '0');
    const file = path.join(
      RESULTS,
      `${n}-${name
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase()}.png`,
    );
    try {
      await body();
      await page.screenshot({ path: file });
    } catch (e) {
      failed = true;
      await page.screenshot({ path: file.replace(/\.png$/, '-FAILED.png') }).catch(() => undefined);
      throw e;
    }
  });
}

/** The file as saved on disk. */
function onDisk(): string {
  return fs.readFileSync(path.join(WORKSPACE!, FILE), 'utf8');
}

/** Saves the editor (Ctrl+S) and returns the file's text once it has changed on disk. */
async function save(): Promise<string> {
  const before = onDisk();
  await page.keyboard.press(`${mod}+s`);
  const deadline = Date.now() + 15000;
  while (onDisk() === before) {
    if (Date.now() > deadline) throw new Error('the file did not change on disk within 15 s of Ctrl+S');
    await settle(100);
  }
  await settle(200); // let a write in progress finish
  return onDisk();
}

async function problemsLabel(): Promise<string> {
  return (await page.locator('[id="status.problems"]').getAttribute('aria-label')) ?? '';
}

async function waitForProblems(label: string): Promise<void> {
  await page
    .waitForFunction((l) => document.getElementById('status.problems')?.getAttribute('aria-label') === l, label, SLOW)
    .catch(async (e) => {
      throw new Error(`the status bar did not show "${label}" (it shows "${await problemsLabel()}"): ${e}`);
    });
}

/** Runs a command from the command palette by its title. */
async function runCommand(title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden' })
    .catch(() => undefined);
}

/** Moves the cursor to line:column (1-based), which also scrolls it into view. */
async function goTo(line: number, column: number): Promise<void> {
  await page.keyboard.press(`${mod}+g`);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.waitForFunction(
    (l) => document.getElementById('status.editor.selection')?.textContent?.includes(`Ln ${l},`),
    line,
  );
}

/**
 * The screen rectangle of the first occurrence of `needle` in the editor's rendered lines (Monaco renders
 * spaces as no-break spaces; a needle must lie within one token).
 */
async function rectOf(needle: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const rect = await page.evaluate((n) => {
    const lines = document.querySelector('.editor-instance .monaco-editor .view-lines');
    if (!lines) return null;
    const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').replace(/\u00a0/g, ' ');
      const at = text.indexOf(n);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + n.length);
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return null;
  }, needle);
  if (!rect) throw new Error(`"${needle}" is not on screen in the editor`);
  return rect;
}

/** Lets fade-in animations finish before a screenshot. */
function settle(ms = 600): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function hoverText(needle: string): Promise<void> {
  const r = await rectOf(needle);
  await page.mouse.move(r.x + r.width / 2 - 8, r.y + r.height / 2);
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2, { steps: 4 });
}

/** Opens a file of the workspace by name with Quick Open, and waits for its editor tab. */
async function quickOpen(name: string, query = name): Promise<void> {
  await page.keyboard.press(`${mod}+p`);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(query);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor(SLOW);
  // Enter takes the focused row: let the filtering settle on the file first
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: name })
    .first()
    .waitFor({ timeout: 5000 })
    .catch(() => undefined);
  await page.keyboard.press('Enter');
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden' })
    .catch(() => undefined);
  await page.waitForFunction((n) => document.querySelector('.tab.active')?.textContent?.includes(n), name, SLOW);
}

/**
 * The frame of the delivery report's webview (VS Code nests the page in two iframes), once it shows its
 * heading.
 */
async function reportFrame(): Promise<Frame> {
  const deadline = Date.now() + 60000;
  for (;;) {
    for (const f of page.frames()) {
      if (
        await f
          .locator('h1', { hasText: 'Microsoft delivery report' })
          .count()
          .catch(() => 0)
      )
        return f;
    }
    if (Date.now() > deadline) throw new Error('no webview shows the Microsoft delivery report within 60 s');
    await settle(250);
  }
}

/** Runs the report on the accounting file open in the editor; returns the view's frame once its blocked IP shows. */
async function runReport(): Promise<Frame> {
  await page.waitForFunction(
    () => document.getElementById('status.editor.mode')?.textContent?.trim() === 'PowerMTA Accounting',
    undefined,
    SLOW,
  );
  await runCommand('PowerMTA: Microsoft Delivery Report');
  const frame = await reportFrame();
  // the source IP table: the blocked IP, its 18 bounces and how to get it removed (Outlook.com's sender support form)
  const row = frame.locator('table.ips tr', { hasText: BLOCKED_IP });
  await row.first().waitFor(SLOW);
  const text = (await row.first().textContent()) ?? '';
  assert.match(text, /BLOCKED/);
  assert.match(text, /S3150 18/);
  const removal = frame.locator('table.ips tr.removal-row').first();
  assert.match(
    (await removal.textContent()) ?? '',
    /S3150: Outlook\.com's sender support form \(http:\/\/go\.microsoft\.com\/fwlink\/\?LinkID=614866\)/,
  );
  // the codes explained, the hourly chart
  await frame.locator('table.codes tr', { hasText: 'IP on Outlook.com block list' }).first().waitFor();
  await frame.locator('svg.hourly-chart').waitFor();
  return frame;
}

/** Hovers microsoft-pool in split/pmta/conf.d/microsoft.conf: the hover must say that ips.conf defines it. */
async function expectPoolDefinedInIps(): Promise<void> {
  await hoverText('microsoft-pool');
  const hover = page.locator('.monaco-hover', { hasText: 'Defined at line' });
  await hover.waitFor(SLOW);
  assert.match((await hover.textContent()) ?? '', /Defined at line 19 of ips\.conf/);
}

const ROLLED_UP = [
  'hotmail.co.uk',
  'hotmail.de',
  'hotmail.fr',
  'live.com',
  'live.co.uk',
  'live.de',
  'msn.com',
  'windowslive.com',
];
const BOUNCE = '# Outlook answered: 421 RP-001 rate limited';
let original = '';
let afterFix = '';

step('open the config', async () => {
  original = onDisk();
  await page.goto(URL!);
  await page.locator('.monaco-workbench').waitFor(SLOW);
  await page.getByRole('treeitem', { name: FILE }).click(SLOW);
  await page.locator('.editor-instance .monaco-editor .view-lines').waitFor();
  // the file opens as PowerMTA, coloured by the extension's grammar
  await page.waitForFunction(
    () => document.getElementById('status.editor.mode')?.textContent?.trim() === 'PowerMTA',
    undefined,
    SLOW,
  );
  await rectOf('<virtual-mta-pool');
});

step('see the Microsoft findings in the Problems panel', async () => {
  // 3 errors (undefined mta3, mx-rollup, retry-after 10), 4 warnings and 3 infos (the limits: the file does not
  // declare its volume tier), as `pmta-lint examples/microsoft.pmta` prints
  await waitForProblems('Errors: 3, Warnings: 4, Infos: 3');
  await page.keyboard.press(`${mod}+Shift+M`);
  const panel = page.locator('.markers-panel');
  await panel.waitFor();
  const rollup = panel.locator('.monaco-list-row', {
    hasText: '8 Microsoft consumer domains do not share the outlook.com queue',
  });
  await rollup.waitFor();
  assert.match((await rollup.textContent()) ?? '', /pmta\(?microsoft-missing-rollup\)?\[Ln 35, Col 9\]/);
  await panel.locator('.monaco-list-row', { hasText: '"mx-rollup outlook.com" is not a PowerMTA directive' }).waitFor();
  await panel.locator('.monaco-list-row', { hasText: 'The virtual MTA "mta3" is not defined' }).waitFor();
  // the file's row counts them all
  const fileRow = panel.locator('.monaco-list-row', { hasText: FILE }).first();
  assert.match((await fileRow.textContent()) ?? '', /10/);
  // choosing the rollup problem selects its range in the editor: outlook.com in <domain outlook.com>
  await rollup.click();
  await page.waitForFunction(
    () => document.getElementById('status.editor.selection')?.textContent?.startsWith('Ln 35, Col 20 (11 selected)'),
    undefined,
    SLOW,
  );
  await rectOf('mx-rollup');
  await settle();
});

step('hover a Microsoft reply code and read the explanation', async () => {
  // close the panel and go back to the editor
  await page.keyboard.press(`${mod}+j`);
  await page.locator('.markers-panel').waitFor({ state: 'hidden' });
  await page.locator('.editor-instance .monaco-editor .view-lines').click();
  // paste the reply a server logged as a comment at the top of the file
  await goTo(1, 1);
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.type(BOUNCE);
  await page.keyboard.press('Escape');
  await hoverText('RP-001');
  const hover = page.locator('.monaco-hover', { hasText: 'Rate limit exceeded' });
  await hover.waitFor(SLOW);
  const text = (await hover.textContent()) ?? '';
  assert.match(text, /421 RP-001/);
  assert.match(text, /Rate limit exceeded \(IP\/domain reputation\)/);
  assert.match(text, /reply \/RP-001\/ mode=backoff,backoff-to-normal-after=4h/);
  await settle();
});

step('apply the quick fix that rolls up the Microsoft domains', async () => {
  await page.mouse.move(5, 400);
  await page.keyboard.press('Escape');
  // the comment moved everything down one line: <domain outlook.com> is on line 36
  await goTo(36, 12);
  await page.keyboard.press(`${mod}+.`);
  const menu = page.locator('.action-widget');
  const fix = menu.locator('.monaco-list-row', { hasText: 'Roll up 8 domains into the outlook.com queue' });
  await fix.waitFor(SLOW);
  await settle();
  await page.screenshot({ path: path.join(RESULTS, `${String(shot).padStart(2, '0')}a-quick-fix-menu.png`) });
  // choose it with the keyboard (the menu ignores clicks until the mouse has moved over it)
  for (
    let i = 0;
    i < 10 &&
    (await menu.locator('.monaco-list-row.focused').getAttribute('aria-label')) !==
      'Roll up 8 domains into the outlook.com queue';
    i++
  ) {
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(
    await menu.locator('.monaco-list-row.focused').getAttribute('aria-label'),
    'Roll up 8 domains into the outlook.com queue',
  );
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
  // the finding is gone, the others stay
  await waitForProblems('Errors: 3, Warnings: 3, Infos: 3');
  const saved = await save();
  const blocks = ROLLED_UP.map((d) => `<domain ${d}>\n    queue-to outlook.com\n</domain>\n`).join('\n');
  const expected = `${BOUNCE}\n${original}`.replace(
    '</domain>\n\n<domain hotmail.com>',
    `</domain>\n\n${blocks}\n<domain hotmail.com>`,
  );
  assert.equal(saved, expected);
  afterFix = saved;
  await rectOf('hotmail.co.uk'); // the new blocks are in view
});

step('insert a snippet: the virtual MTA the pool is missing', async () => {
  // the pool names mta3, which is not defined: add it at the end with the "Virtual MTA" snippet
  await page.keyboard.press(`${mod}+End`);
  await page.keyboard.press('Enter');
  // (the profile turns quick suggestions off, so that the Tab presses below go to the placeholders)
  await page.keyboard.type('vmta');
  await page.keyboard.press(`${mod}+Space`);
  const suggest = page.locator('.editor-widget.suggest-widget');
  const item = suggest.locator('.monaco-list-row', { hasText: 'Virtual MTA' }).first();
  await item.waitFor(SLOW);
  await settle();
  await page.screenshot({ path: path.join(RESULTS, `${String(shot).padStart(2, '0')}a-snippet-suggestion.png`) });
  await item.click();
  // fill the placeholders: name, IP, host name
  await page.keyboard.type('mta3');
  await page.keyboard.press('Tab');
  await page.keyboard.type('192.0.2.12');
  await page.keyboard.press('Tab');
  await page.keyboard.type('mta3.example.com');
  await page.keyboard.press('Escape');
  // mta3 is now defined: one error fewer
  await waitForProblems('Errors: 2, Warnings: 3, Infos: 3');
  const saved = await save();
  assert.equal(
    saved,
    `${afterFix}\n<virtual-mta mta3>\n    smtp-source-host 192.0.2.12 mta3.example.com\n    \n</virtual-mta>`,
  );
});

step(
  'open one file of a split configuration: it is checked as part of the configuration that includes it',
  async () => {
    // split/pmta/conf.d/microsoft.conf uses a pool that split/pmta/conf.d/ips.conf defines, and split/pmta/config
    // (which includes both) signs every queue: as part of it, 2 warnings, 2 infos (the limits, the volume tier not
    // being declared) and no error; alone it would have an undefined-reference error and a missing-dkim warning more
    await quickOpen('microsoft.conf');
    await page.waitForFunction(
      () => document.getElementById('status.editor.mode')?.textContent?.trim() === 'PowerMTA',
      undefined,
      SLOW,
    );
    // microsoft.pmta keeps its 2 errors, 3 warnings and 3 infos
    await waitForProblems('Errors: 2, Warnings: 5, Infos: 5');
    // the pool's hover says where the configuration defines it
    await expectPoolDefinedInIps();
    await settle();
  },
);

step('go to a virtual MTA of the configuration by name (workspace symbols): it is in another file', async () => {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill('#mta4');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'mta4' }).first();
  await row.waitFor(SLOW);
  assert.match((await row.textContent()) ?? '', /ips\.conf/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => document.querySelector('.tab.active')?.textContent?.includes('ips.conf'),
    undefined,
    SLOW,
  );
  // the cursor on the name in <virtual-mta mta4>, line 15
  await page.waitForFunction(
    () => document.getElementById('status.editor.selection')?.textContent?.startsWith('Ln 15, Col 14'),
    undefined,
    SLOW,
  );
  await settle();
});

step(
  'run the Microsoft delivery report on an accounting file: the view shows the blocked IP, its removal path and its virtual MTA',
  async () => {
    await page.keyboard.press('Escape');
    await quickOpen(ACCOUNTING);
    const frame = await runReport();
    // with a configuration open (microsoft.pmta, or the split one: both give 192.0.2.10 to mta1 of microsoft-pool)
    const row = frame.locator('table.ips tr', { hasText: BLOCKED_IP }).first();
    await row.locator('a[data-vmta="mta1"]').last().waitFor(SLOW);
    assert.match((await row.textContent()) ?? '', /mta1 \(pool microsoft-pool\)/);
    await settle();
    await page.screenshot({ path: path.join(RESULTS, `${String(shot).padStart(2, '0')}a-delivery-report-view.png`) });
    // the link selects the name in <virtual-mta mta1> of that configuration, beside the view: line 22 of
    // microsoft.pmta (the comment added on line 1 moved it), or line 3 of split/pmta/conf.d/ips.conf; the
    // status bar shows where the selection ends (columns 14 to 17 are selected)
    await row.locator('a[data-vmta="mta1"]').last().click();
    await page.waitForFunction(
      () =>
        /^Ln (22|3), Col 18 \(4 selected\)/.test(document.getElementById('status.editor.selection')?.textContent ?? ''),
      undefined,
      SLOW,
    );
    await settle();
  },
);

// ------------------------------------------------------------------------------------------------
// The same extension as VS Code for the Web runs it (vscode.dev, github.dev): a second code-server whose
// settings put it in the browser's web worker extension host, where it starts dist/web/server.js in a worker.

step('on the web: the extension runs in a web worker and finds the same problems', async () => {
  assert.ok(WEB_URL, 'scripts/e2e.mjs sets PMTA_E2E_WEB_URL');
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20000);
  await page.goto(WEB_URL!);
  await page.locator('.monaco-workbench').waitFor(SLOW);
  await page.getByRole('treeitem', { name: FILE }).click(SLOW);
  await page.waitForFunction(
    () => document.getElementById('status.editor.mode')?.textContent?.trim() === 'PowerMTA',
    undefined,
    SLOW,
  );
  await waitForProblems('Errors: 3, Warnings: 4, Infos: 3');
  // where it runs: "web worker" in the running extensions, not the server's address
  await runCommand('Developer: Show Running Extensions');
  const row = page.locator('.monaco-list-row', { hasText: 'PowerMTA Config' });
  await row.waitFor(SLOW);
  assert.match((await row.textContent()) ?? '', /web worker/);
  await settle();
});

step('on the web: a split configuration reads the files it includes through VS Code', async () => {
  // close everything: microsoft.pmta's problems go away
  await page.keyboard.press(`${mod}+k`);
  await page.keyboard.press('w');
  await waitForProblems('No Problems');
  // open split/pmta/config: its /etc/pmta/conf.d/*.conf is found in split/pmta/conf.d/, read through the
  // extension, and the problems of conf.d/microsoft.conf (not open) are published: 2 warnings and 2 infos
  // (Quick Open, not the explorer: whether it shows split/pmta compacted and expanded varies from run to run)
  await quickOpen('config', 'split/pmta/config');
  await page.waitForFunction(
    () => document.getElementById('status.editor.mode')?.textContent?.trim() === 'PowerMTA',
    undefined,
    SLOW,
  );
  await waitForProblems('Warnings: 2, Infos: 2');
  await page.keyboard.press(`${mod}+Shift+M`);
  const panel = page.locator('.markers-panel');
  await panel.locator('.monaco-list-row', { hasText: 'microsoft.conf' }).first().waitFor(SLOW);
  await panel
    .locator('.monaco-list-row', { hasText: '7 Microsoft consumer domains do not share the outlook.com queue' })
    .waitFor(SLOW);
  await settle();
});

step('on the web: one file of the split configuration opened alone is checked as part of it', async () => {
  await page.keyboard.press(`${mod}+j`); // the panel away
  await page.keyboard.press(`${mod}+k`);
  await page.keyboard.press('w');
  await waitForProblems('No Problems');
  // split/pmta/conf.d/microsoft.conf alone: the configuration next to it is found through VS Code, so the pool
  // that ips.conf defines is known (alone, it would be an error) and the queue is signed (a warning less)
  await quickOpen('microsoft.conf');
  await waitForProblems('Warnings: 2, Infos: 2');
  await expectPoolDefinedInIps();
  await settle();
});

step('on the web: the language server restarts (a new worker) and checks again', async () => {
  await page.keyboard.press('Escape');
  await runCommand('PowerMTA: Restart Language Server');
  // an edit after the restart: the new server finds the error it makes (a pool nobody defines)
  await page.locator('.editor-instance .monaco-editor .view-lines').click();
  await page.keyboard.press(`${mod}+End`);
  await page.keyboard.type('\n<source 10.9.9.9>\ndefault-virtual-mta nowhere\n</source>\n');
  await waitForProblems('Errors: 1, Warnings: 2, Infos: 2');
  // and the code lens, first asked for while the file was checked alone, counts the pool of ips.conf
  await page
    .locator('.codelens-decoration', { hasText: 'Microsoft: 80 connections (4 IPs × max-smtp-out 20' })
    .waitFor(SLOW);
  await settle();
});

step(
  'on the web: the Microsoft delivery report reads the accounting file through VS Code and shows the blocked IP',
  async () => {
    await page.keyboard.press('Escape');
    await quickOpen(ACCOUNTING);
    await runReport();
    await settle();
  },
);
