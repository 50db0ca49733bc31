/**
 * The portal's pages in a real browser (Debian's Chromium driven by playwright-core, never a
 * browser download): every page type (home, a dataflow's explorer with its line chart, bar chart,
 * map and a refused selection, the release calendar, a release, a country, an ICCS category, search,
 * the methodology report and a country note) in English and Spanish, at desktop and
 * phone widths, with JavaScript off (the pages need none). For each: no console error, no CSP
 * violation, no request to another host, 0 axe-core violations of impact serious or critical
 * (WCAG 2.1 A and AA rules and best practices, reported by rule id), the skip link first in the
 * tab order and moving focus to the content. Screenshots go to scratch/portal/ for a person to
 * look at (not committed). Without Chromium the test fails: it is never skipped.
 */
import t from 'tap';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { testApp } from '../helpers/app.js';
import { launchChromium } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/shared.js';

const SCREENSHOTS = path.join(REPO_ROOT, 'scratch', 'portal');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const PAGES = [
  { path: '/en/', heading: 'Crime and criminal justice statistics', contains: 'Victims of intentional homicide' },
  { path: '/es/', heading: 'Estadísticas sobre delincuencia y justicia penal', contains: 'Víctimas de homicidio intencional' },
  { path: '/en/dataflows/DF_CTS_HOMICIDE', heading: 'Victims of intentional homicide', contains: 'Download' },
  { path: '/es/dataflows/DF_CTS_OFFENCES', heading: 'Delitos registrados por la policía', contains: 'Próxima publicación' },
  { path: '/en/dataflows/DF_CTS_HOMICIDE?REF_AREA=MEX,GTM,HND&SEX=_T', heading: 'Victims of intentional homicide', contains: 'Line chart' },
  { path: '/en/dataflows/DF_CTS_HOMICIDE?SEX=_T&chart=bar&year=2015', heading: 'Victims of intentional homicide', contains: 'API for this view' },
  { path: '/es/dataflows/DF_CTS_HOMICIDE?SEX=_T&chart=map&year=2015', heading: 'Víctimas de homicidio intencional', contains: 'Naciones Unidas' },
  { path: '/en/dataflows/DF_CTS_HOMICIDE?REF_AREA=MEXX', heading: 'Victims of intentional homicide', contains: 'This selection cannot be shown', status: 400 },
  { path: '/en/calendar', heading: 'Release calendar', contains: 'Subscribe' },
  { path: '/es/calendar', heading: 'Calendario de publicaciones', contains: 'Suscrib' },
  { path: '/en/releases/ESTAT-CRIM-2024', heading: 'Eurostat: offences recorded by the police, 2008–2022 (2024 release)', contains: 'revised' },
  { path: '/es/releases/ESTAT-CRIM-2024', heading: 'Eurostat: offences recorded by the police, 2008–2022 (2024 release)', contains: 'revisad' },
  { path: '/en/countries/MEX', heading: 'Mexico', contains: 'Victims of intentional homicide' },
  { path: '/es/countries/KAZ', heading: 'Kazajistán', contains: 'Víctimas de homicidio intencional' },
  { path: '/en/iccs/0101', heading: '0101 Intentional homicide', contains: 'Victims of intentional homicide' },
  { path: '/es/iccs/02', heading: '02 Actos que causan daños o que tienen la intención de causar daños a las personas', contains: '0201' },
  { path: '/en/search?q=homicide', heading: 'Search', contains: 'Victims of intentional homicide' },
  { path: '/es/search?q=m%C3%A9xico', heading: 'Buscar', contains: 'México' },
  { path: '/en/dataflows/DF_CTS_HOMICIDE/metadata', heading: 'Victims of intentional homicide: methodology and quality report', contains: 'Contents' },
  { path: '/es/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ', heading: 'Víctimas de homicidio intencional: nota sobre Kazajistán', contains: 'Kazajistán' },
  { path: '/es/dataflows/DF_NOPE', heading: 'Página no encontrada', contains: 'Volver a la página de inicio', status: 404 },
] as const;

interface AxeResult {
  readonly violations: readonly { readonly id: string; readonly impact: string | null; readonly nodes: readonly { readonly target: readonly string[] }[] }[];
}

const app = await testApp({ env: { DEMO_DATA: 'on' } });
const origin = await app.listen({ port: 0, host: '127.0.0.1' });
t.teardown(() => app.close());
const browser: Browser = await launchChromium();
t.teardown(() => browser.close());
mkdirSync(SCREENSHOTS, { recursive: true });

for (const viewport of VIEWPORTS) {
  t.test(`every page at ${viewport.name} width, without JavaScript`, async (t) => {
    const context = await browser.newContext({ viewport, javaScriptEnabled: false });
    t.teardown(() => context.close());
    for (const p of PAGES) {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      const foreign: string[] = [];
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
      page.on('request', (r) => !r.url().startsWith(origin) && !r.url().startsWith('data:') && foreign.push(r.url()));
      const res = await page.goto(`${origin}${p.path}`);
      const status = 'status' in p ? p.status : 200;
      t.equal(res?.status(), status, `${p.path}: ${status}`);
      t.equal(await page.locator('h1').innerText(), p.heading, `${p.path}: its heading`);
      t.match(await page.locator('main').innerText(), p.contains, `${p.path}: its content`);
      t.equal(await page.locator('html').getAttribute('lang'), p.path.slice(1, 3), `${p.path}: html lang`);
      const stylesheet = await page.evaluate(() => (globalThis as unknown as { document: { styleSheets: { length: number } } }).document.styleSheets.length);
      t.equal(stylesheet, 1, `${p.path}: the style sheet loaded under the CSP`);
      // Keyboard: the skip link comes first and leads to the content.
      await page.keyboard.press('Tab');
      t.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { className: string } } }).document.activeElement.className), 'skip-link', `${p.path}: the skip link is first`);
      await page.keyboard.press('Enter');
      t.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id), 'main', `${p.path}: it moves focus to the content`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${p.path.replace(/[/?&=,%]+/g, '_').replace(/^_/, '')}-${viewport.name}.png`), fullPage: true });
      // Chromium logs the page's own 404 status as a console error; anything else is a fault.
      const errors = status === 200 ? consoleErrors : consoleErrors.filter((e) => !e.includes(`status of ${status}`));
      t.same(errors, [], `${p.path}: no console error (CSP violations are reported there)`);
      t.same(foreign, [], `${p.path}: nothing from another host`);
      await page.close();
    }
  });
}

t.test('axe-core: no serious or critical violation on any page, in both languages', async (t) => {
  // axe is injected as a script, which the pages' CSP forbids: this context alone bypasses it.
  const context = await browser.newContext({ viewport: VIEWPORTS[0], bypassCSP: true });
  t.teardown(() => context.close());
  for (const p of PAGES) {
    const page = await context.newPage();
    await page.goto(`${origin}${p.path}`);
    await page.addScriptTag({ content: AXE_SOURCE });
    const result = (await page.evaluate(() =>
      (globalThis as unknown as { axe: { run(c: unknown, o: object): Promise<unknown> } }).axe.run((globalThis as unknown as { document: unknown }).document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      }),
    )) as AxeResult;
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    t.same(
      serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      [],
      `${p.path}: no serious or critical violation`,
    );
    const minor = result.violations.filter((v) => !serious.includes(v));
    if (minor.length) t.comment(`${p.path}: minor findings: ${minor.map((v) => v.id).join(', ')}`);
    await page.close();
  }
});
