#!/usr/bin/env node
/**
 * Renders images/icon.svg to images/icon.png (128x128, the extension's icon) with Debian's chromium.
 * Run it after changing the SVG: node scripts/make-icon.mjs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, CHROMIUM, CHROMIUM_ARGS } from './lib/code-server.mjs';

const svg = fs.readFileSync(path.join(ROOT, 'images', 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: path.join(ROOT, 'images', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('images/icon.png written');
