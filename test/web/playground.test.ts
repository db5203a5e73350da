// The web playground end to end: build it with esbuild, serve it on 127.0.0.1, and drive it in
// Debian's headless Chromium: an expression and its instruction count, an error span, the samples,
// stepping one to the end, and a capture file filtered in the worker. Leaves a screenshot.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { compile } from '../../src/compiler/index.js';
import { run } from '../../src/core/vm.js';
import { parseCapture } from '../../src/pcap/index.js';
import { samplePackets } from '../../web/src/packets.js';
import { CORPUS_DIR } from '../helpers/corpus.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output');
const CAPTURE = `${CORPUS_DIR}dhcp-rfc4388.pcap`;
const EXPR = 'arp and arp[6:2] = 2';

/** Starts scripts/serve-web.mjs on an ephemeral port; resolves with its URL once it prints it. */
function serve(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'scripts/serve-web.mjs'), '--dir', dir, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve({ child, url: m[0] });
    });
    child.once('exit', (code) => reject(new Error(`serve-web exited with ${code}: ${out}`)));
  });
}

test('playground: expression → count, error span, samples stepped to the verdict, a capture in the worker', async (t) => {
  assert.ok(
    existsSync(CHROMIUM),
    `no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (npm test's pretest does this as root) or set CHROMIUM_PATH`,
  );
  mkdirSync(OUT, { recursive: true });
  const dist = join(OUT, 'web-dist');
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs'), dist], {
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, `build-web failed:\n${build.stderr}${build.stdout}`);

  const { child, url } = await serve(dist);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  t.after(async () => {
    await browser.close();
    child.kill();
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);

  // An expression: the count is compile()'s.
  const program = compile(EXPR);
  await page.fill('#source', EXPR);
  await page.waitForFunction(
    (n) => document.querySelector('#insn-count')?.textContent?.startsWith(`${n} instructions`),
    program.length,
  );
  assert.equal(await page.locator('#listing .line').count(), program.length);
  assert.ok((await page.locator('#graph svg .block').count()) >= 3, 'the graph has blocks');

  // An error: the message, and its span underlined in the editor.
  await page.fill('#source', 'tcp port 99999');
  await page.waitForSelector('#message.error');
  assert.equal(await page.locator('mark.error-span').textContent(), '99999');
  await page.fill('#source', EXPR);
  await page.waitForSelector('#listing .line');

  // The samples; step the ARP reply (row 0) to the end.
  const samples = samplePackets();
  await page.click('#load-samples');
  await page.waitForFunction(
    () => document.querySelector('#packet-count')?.getAttribute('data-accepted') !== '',
  );
  assert.equal(await page.getAttribute('#packet-count', 'data-count'), String(samples.count));
  await page.click('#packets .row[data-index="0"]');
  // Step to the program's first packet load: it is the current line, in the text and the graph, and its bytes are lit.
  const first = program.findIndex((x) => (x.code & 0xe7) === 0x20);
  for (let i = 0; i < first; i++) await page.click('#step-next');
  assert.equal(await page.locator('#listing .line.current').getAttribute('data-pc'), String(first));
  assert.ok(
    (await page.locator('#hex .byte.loaded').count()) > 0,
    'the loaded bytes are highlighted',
  );
  assert.equal(await page.locator('#graph .line.current').getAttribute('data-pc'), String(first));
  let steps = 0;
  while ((await page.getAttribute('#step-status', 'data-done')) !== 'true') {
    await page.click('#step-next');
    assert.ok(++steps <= program.length, 'the run ends within the program');
  }
  assert.ok(
    (await page.locator('#graph .edge.taken').count()) >= 2,
    'the path taken is drawn in the graph',
  );
  const expected = run(program, samples.bytes(0));
  assert.notEqual(expected, 0, 'the ARP reply is accepted');
  assert.equal(await page.getAttribute('#step-status', 'data-result'), String(expected));
  assert.match(
    (await page.textContent('#step-status')) ?? '',
    new RegExp(`accept \\(${expected}\\)`),
  );
  const verdicts = await page.locator('#packets .row .verdict').allTextContents();
  assert.deepEqual(
    verdicts,
    Array.from({ length: samples.count }, (_, i) =>
      run(program, samples.bytes(i)) ? `accept (${run(program, samples.bytes(i))})` : 'drop',
    ),
  );
  const shot = join(OUT, 'playground.png');
  await page.screenshot({ path: shot, fullPage: true });
  t.diagnostic(`screenshot: ${shot}`);

  // A capture file, opened locally and filtered in the worker.
  const { records } = parseCapture(new Uint8Array(readFileSync(CAPTURE)));
  const udp = compile('udp port 67');
  const accepted = records.filter((r) => run(udp, r.data, { wirelen: r.wirelen }) !== 0).length;
  await page.fill('#source', 'udp port 67');
  await page.waitForFunction(
    (n) => document.querySelector('#insn-count')?.textContent?.startsWith(`${n} instructions`),
    udp.length,
  );
  await page.setInputFiles('#file-input', CAPTURE);
  await page.waitForFunction(() =>
    /worker/.test(document.querySelector('#filter-note')?.textContent ?? ''),
  );
  assert.equal(await page.getAttribute('#packet-count', 'data-count'), String(records.length));
  assert.equal(await page.getAttribute('#packet-count', 'data-accepted'), String(accepted));
  await page.check('#accepted-only');
  const listed = await page.locator('#packets .row').evaluateAll((rows) =>
    rows.map((r) => ({
      i: Number(r.getAttribute('data-index')),
      verdict: r.querySelector('.verdict')?.textContent ?? '',
    })),
  );
  const firstAccepted = records.findIndex((r) => run(udp, r.data, { wirelen: r.wirelen }) !== 0);
  assert.equal(listed[0].i, firstAccepted);
  assert.ok(
    listed.every((r) => r.verdict.startsWith('accept')),
    'only accepted packets are listed',
  );

  // The static build from file://, the expression taken from the URL's fragment.
  const local = await browser.newPage();
  local.on('pageerror', (e) => errors.push(`file://: ${e.message}`));
  await local.goto(`file://${dist}/index.html#e=${encodeURIComponent('udp port 67')}`);
  await local.waitForFunction(
    (n) => document.querySelector('#insn-count')?.textContent?.startsWith(`${n} instructions`),
    udp.length,
  );
  await local.setInputFiles('#file-input', CAPTURE);
  await local.waitForFunction(() =>
    /filtered/.test(document.querySelector('#filter-note')?.textContent ?? ''),
  );
  assert.equal(await local.getAttribute('#packet-count', 'data-accepted'), String(accepted));
  assert.deepEqual(errors, [], 'no uncaught errors in the page');
});
