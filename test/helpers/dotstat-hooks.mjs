/**
 * Module resolution hooks that let the .Stat Suite's data rules (npm @sis-cc/dotstatsuite-components)
 * load in Node for test/routes/sdmx-rest/json-clients.test.ts, as its bundler would:
 * - `@dbmx/sdmx/data` is a private package the rules import for one function that their data
 *   preparation never calls; it resolves to a stub that throws if it ever is;
 * - date-fns 2 is written for bundlers (`date-fns/locale` is a folder): its ES modules are under
 *   `esm/`, one folder per function, in a package that does not say they are ES modules.
 */
export async function resolve(specifier, context, next) {
  if (specifier === '@dbmx/sdmx/data') return { url: new URL('./dotstat-private-stub.mjs', import.meta.url).href, format: 'module', shortCircuit: true };
  if (specifier === 'date-fns' || (specifier.startsWith('date-fns/') && !specifier.startsWith('date-fns/esm/'))) {
    const inEsm = specifier === 'date-fns' ? 'date-fns/esm/index.js' : `date-fns/esm/${specifier.slice('date-fns/'.length)}/index.js`;
    return { ...(await next(inEsm, context)), format: 'module' };
  }
  if (context.parentURL?.includes('/date-fns/esm/')) return { ...(await next(specifier, context)), format: 'module' };
  return next(specifier, context);
}
