/**
 * The identity map's page in a real headless browser (Debian's chromium,
 * which .ci/run installs; CHROMIUM_PATH overrides where it is): for an
 * example and for a generated 1,000-workload app, the page renders with no
 * script error, search finds a ServiceAccount, and a screenshot of each is
 * kept in artifacts/ (the CI artifact).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { loadScenario } from '../../bench/scenarios';
import { clusterAppsOf } from '../../bench/scenarios/scenario';
import { identityMapOf, writeIdentityMap } from '../../lib/map';
import { synthesizeExamples } from './synthesized-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts');
let browser: Browser;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-map-browser-'));

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`No chromium at '${CHROMIUM}': install it (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH.`);
  }
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens the page, failing on any script error, and waits until it has drawn. */
async function open(html: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') { errors.push(m.text()); } });
  // Nothing may be fetched: the page is self-contained.
  await page.setRequestInterception(true);
  page.on('request', r => (r.url().startsWith('file:') || r.url().startsWith('data:') ? r.continue() : (errors.push(`fetched ${r.url()}`), r.abort())));
  await page.setViewport({ width: 1500, height: 1000 });
  await page.goto(`file://${html}`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-rendered]');
  return { page, errors };
}

async function search(page: Page, text: string): Promise<void> {
  await page.click('#search', { count: 3 });
  await page.type('#search', text);
}

test('GIVEN the examples\' map WHEN opened THEN it draws, search finds a ServiceAccount, and the table lists it', async () => {
  const app = synthesizeExamples();
  try {
    const map = identityMapOf({ cdkOut: app.assemblyDir, dist: path.join(path.dirname(app.assemblyDir), 'dist') });
    const { html } = writeIdentityMap(map, path.join(tmp, 'examples'));
    const { page, errors } = await open(html);
    const total = map.clusters.flatMap(c => c.namespaces.flatMap(n => n.serviceAccounts)).length;
    expect(await page.$eval('body', b => b.getAttribute('data-rendered'))).toBe(String(total));
    expect(await page.$$eval('#graph g.node.sa', nodes => nodes.length)).toBe(total);

    await search(page, 'upload');
    // The campus and IRSA campus uploads and the self-managed ingest's incoming/ grant match; the upload SA is highlighted.
    expect(await page.$$eval('#graph g.node.sa.hit', nodes => nodes.map(n => n.getAttribute('data-key')))).toEqual(
      expect.arrayContaining(['campus/uploads/upload', 'campus-irsa/uploads/upload']));
    await page.screenshot({ path: path.join(ARTIFACTS, 'identity-map-examples.png') });

    await page.click('#view-table');
    const rows = await page.$$eval('tr.sa-row', trs => trs.map(t => t.getAttribute('data-sa')));
    expect(rows).toContain('campus/uploads/upload');
    expect(rows).not.toContain('campus/payments/payment');
    expect(errors).toEqual([]);
    await page.close();
  } finally {
    app.dispose();
  }
}, 300_000);

test('GIVEN a generated app of 1,000 workloads WHEN its map is opened THEN it draws them all and search narrows to one', async () => {
  const dir = path.join(tmp, 'thousand');
  const awsApp = new cdk.App({ outdir: path.join(dir, 'cdk.out') });
  const k8sApp = new cdk8s.App({ outdir: path.join(dir, 'dist', 'bench') });
  loadScenario('library').build(1000, 'pod-identity', awsApp, k8sApp);
  awsApp.synth();
  k8sApp.synth();
  clusterAppsOf(k8sApp).forEach(a => a.synth());
  const map = identityMapOf({ cdkOut: path.join(dir, 'cdk.out'), dist: path.join(dir, 'dist') });
  const accounts = map.clusters.flatMap(c => c.namespaces.flatMap(n => n.serviceAccounts.map(s => `${c.name}/${n.name}/${s.name}`)));
  expect(accounts.length).toBeGreaterThanOrEqual(1000);
  const { html } = writeIdentityMap(map, dir);

  const started = Date.now();
  const { page, errors } = await open(html);
  const drawnMs = Date.now() - started;
  expect(await page.$$eval('#graph g.node.sa', nodes => nodes.length)).toBe(accounts.length);
  const one = accounts[737];
  await search(page, one.split('/')[2]);
  await page.click('#view-table');
  const rows = await page.$$eval('tr.sa-row', trs => trs.map(t => t.getAttribute('data-sa')));
  expect(rows).toContain(one);
  expect(rows.length).toBeLessThan(20);
  await page.screenshot({ path: path.join(ARTIFACTS, 'identity-map-1000.png') });
  expect(errors).toEqual([]);
  // Usable: drawn well within the time a reviewer waits for a page (measured ~1-2 s here).
  expect(drawnMs).toBeLessThan(30_000);
  await page.close();
}, 600_000);
