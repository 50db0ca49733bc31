/**
 * End to end in a real browser: GraphiQL at /graphiql of the real app (buildApp with the demo
 * data, listening on loopback) in headless Chromium under the page's Content-Security-Policy.
 * The page loads, the editor appears, `{ dataflows { code } }` runs against /graphql and its
 * answer shows DF_CTS_HOMICIDE; the documentation explorer (introspection) and the dialogs open
 * too. Throughout: no console error, no uncaught exception, no CSP violation (a
 * `securitypolicyviolation` listener installed before any script of the page), no request to
 * any host but this server. At 1280×800 and at 390×844 (a phone), with screenshots of both in
 * scratch/ for a person to look at.
 *
 * axe-core, the standard accessibility checker, then audits the page (in a context that
 * bypasses the CSP, as axe must be injected): GraphiQL's own widgets have findings we cannot fix,
 * so those are only reported; the page shell is ours (lang, title, landmarks, heading) and must
 * have none.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (.ci/run installs it), driven by playwright-core,
 * which downloads no browser. Without Chromium the test fails: it is never skipped.
 */
import t from 'tap';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { testApp } from '../helpers/app.js';
import { REPO_ROOT } from '../helpers/shared.js';

const QUERY = '{ dataflows { code } }';
const EXPECTED = 'DF_CTS_HOMICIDE';
const SCREENSHOTS = path.join(REPO_ROOT, 'scratch');
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[]; readonly element?: PageElement }[];
}

interface PageElement {
  contains(other: PageElement): boolean;
  readonly isConnected: boolean;
  closest(selector: string): PageElement | null;
  /** CodeMirror 5 hangs its editor on its wrapper element. */
  readonly CodeMirror?: { setValue(value: string): void };
}

/**
 * The little of the browser's globals that the functions run in the page use (the project
 * compiles without the DOM library): `globalThis as unknown as PageGlobals` inside them.
 */
interface PageGlobals {
  __cspViolations: string[];
  readonly innerHeight: number;
  readonly document: {
    readonly documentElement: { readonly scrollHeight: number };
    addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string; sample: string }) => void): void;
    querySelector(selector: string): PageElement | null;
    getElementById(id: string): PageElement | null;
  };
  readonly axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> };
}

/** What a page did that it should not have. */
interface Findings {
  readonly consoleErrors: string[];
  readonly foreignRequests: string[];
}

async function startApp(): Promise<{ app: FastifyInstance; origin: string }> {
  const app = await testApp({ env: { DEMO_DATA: 'on' } });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, origin };
}

/**
 * A browser context that records console errors, uncaught exceptions and CSP violations, and
 * refuses (and records) every request to another host: nothing leaves the machine.
 */
async function watchedContext(browser: Browser, origin: string, options: { width: number; height: number; bypassCSP?: boolean }): Promise<{ context: BrowserContext; findings: Findings }> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, bypassCSP: options.bypassCSP ?? false, serviceWorkers: 'block' });
  const findings: Findings = { consoleErrors: [], foreignRequests: [] };
  const host = new URL(origin).host;
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host === host && url.protocol === 'http:') return route.continue();
    findings.foreignRequests.push(url.href);
    return route.abort('blockedbyclient');
  });
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.host !== host && !findings.foreignRequests.includes(url.href)) findings.foreignRequests.push(url.href);
  });
  context.on('console', (message) => {
    if (message.type() === 'error') findings.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  context.on('weberror', (error) => findings.consoleErrors.push(`uncaught: ${error.error().message}`));
  // Before any script of the page: every violation, from the first byte on.
  await context.addInitScript(() => {
    const page = globalThis as unknown as PageGlobals;
    page.__cspViolations = [];
    page.document.addEventListener('securitypolicyviolation', (e) => page.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`.trim()));
  });
  return { context, findings };
}

/** Opens GraphiQL, sets the query in the editor, runs it with the execute button, waits for the answer. */
async function runQuery(page: Page, origin: string): Promise<string> {
  const response = await page.goto(`${origin}/graphiql`);
  if (!response?.ok()) throw new Error(`GET /graphiql: ${response?.status()}`);
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ state: 'visible', timeout: 30_000 });
  // Through CodeMirror's own API: typing would fight the editor's bracket closing and completion.
  await page.evaluate((query) => {
    const { document } = globalThis as unknown as PageGlobals;
    document.querySelector('.graphiql-query-editor .CodeMirror')!.CodeMirror!.setValue(query);
  }, QUERY);
  await page.locator('.graphiql-execute-button').click();
  const result = page.locator('.graphiql-response');
  await result.getByText(EXPECTED).first().waitFor({ timeout: 30_000 });
  return (await result.textContent()) ?? '';
}

if (!existsSync(CHROMIUM)) {
  t.fail(`Chromium is not installed at ${CHROMIUM}: this test drives Debian's Chromium (apt-get install chromium; .ci/run installs it). It is never skipped.`);
} else {
  const { app, origin } = await startApp();
  t.teardown(() => app.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  t.teardown(() => browser.close());
  mkdirSync(SCREENSHOTS, { recursive: true });

  for (const viewport of VIEWPORTS) {
    t.test(`GraphiQL at ${viewport.width}×${viewport.height}: runs a query under the strict CSP, asks no other host`, async (t) => {
      const { context, findings } = await watchedContext(browser, origin, viewport);
      t.teardown(() => context.close());
      const page = await context.newPage();

      const answer = await runQuery(page, origin);
      t.match(answer, EXPECTED, `the answer of ${QUERY} shows ${EXPECTED}`);
      t.match(await page.title(), /GraphiQL/);
      const box = await page.locator('.graphiql-container').boundingBox();
      t.ok(box && box.width >= viewport.width - 1 && box.height >= viewport.height - 1, `GraphiQL fills the window (${box?.width}×${box?.height})`);
      const fits = await page.evaluate(() => {
        const { document, innerHeight } = globalThis as unknown as PageGlobals;
        return document.documentElement.scrollHeight <= innerHeight;
      });
      t.equal(fits, true, 'the page itself does not scroll (so the scroll lock has nothing to measure)');
      await page.screenshot({ path: path.join(SCREENSHOTS, `graphiql-${viewport.width}x${viewport.height}.png`) });

      if (viewport.name === 'desktop') {
        // The documentation explorer reads the schema by introspection, through the same fetcher.
        await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
        try {
          await page.locator('.graphiql-doc-explorer').getByText('Root Types').waitFor({ timeout: 15_000 });
          t.pass('the documentation explorer shows the schema (introspection works)');
        } catch (err) {
          t.fail(`the documentation explorer shows no schema: did /graphql refuse GraphiQL's introspection query? (${(err as Error).message.split('\n')[0]})`);
        }
        await page.screenshot({ path: path.join(SCREENSHOTS, `graphiql-${viewport.width}x${viewport.height}-docs.png`) });
        // The dialogs insert the one inline style the CSP allows by its hash (graphiql.ts).
        for (const name of ['Open settings dialog', 'Open short keys dialog']) {
          await page.getByRole('button', { name }).click();
          await page.getByRole('dialog').waitFor();
          await page.keyboard.press('Escape');
          await page.getByRole('dialog').waitFor({ state: 'detached' });
        }
      }

      const violations = await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations);
      t.same(violations, [], 'no CSP violation');
      t.same(findings.consoleErrors, [], 'no console error, no uncaught exception');
      t.same(findings.foreignRequests, [], 'no request to another host');
    });
  }

  t.test('accessibility (axe-core): none in our page shell; GraphiQL\'s own findings reported', async (t) => {
    // axe is injected as an inline script, which the page's CSP rightly refuses: this context
    // alone bypasses the CSP, and checks nothing about it.
    const { context } = await watchedContext(browser, origin, { ...VIEWPORTS[0], bypassCSP: true });
    t.teardown(() => context.close());
    const page = await context.newPage();
    await runQuery(page, origin);
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate(async () => {
      const { axe, document } = globalThis as unknown as PageGlobals;
      const result = await axe.run(document, { resultTypes: ['violations'], elementRef: true });
      const graphiql = document.getElementById('graphiql')!;
      // A finding is GraphiQL's when its element is inside what GraphiQL renders, or is one of the
      // elements its editors (CodeMirror) make and hang elsewhere or drop while axe runs: our shell
      // is static markup, always in the document.
      const isGraphiql = (element: PageElement | undefined) =>
        element === undefined || !element.isConnected || (element !== graphiql && graphiql.contains(element)) || element.closest('[class*="CodeMirror"], [class*="graphiql"]') !== null;
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        ours: v.nodes.filter((n) => !isGraphiql(n.element)).map((n) => n.target.join(' ')),
        graphiql: v.nodes.filter((n) => isGraphiql(n.element)).map((n) => n.target.join(' ')),
      }));
    });
    for (const v of violations) {
      if (v.graphiql.length) t.comment(`axe, in GraphiQL's components (not ours to fix): ${v.impact} ${v.id} (${v.help}) on ${v.graphiql.length} element(s), e.g. ${v.graphiql.slice(0, 3).join(', ')}`);
    }
    const serious = violations.filter((v) => v.graphiql.length && (v.impact === 'serious' || v.impact === 'critical'));
    t.comment(`axe: ${serious.length} serious or critical finding(s) in GraphiQL's components${serious.length ? `: ${serious.map((v) => v.id).join(', ')}` : ''}`);
    const ours = violations.filter((v) => v.ours.length).map((v) => `${v.impact} ${v.id} (${v.help}): ${v.ours.join(', ')}`);
    t.same(ours, [], 'no axe finding in our page shell (lang, title, landmarks, heading)');
  });
}
