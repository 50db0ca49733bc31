/** Stands in for the private `@dbmx/sdmx/data` (see dotstat-hooks.mjs): never called by the data preparation. */
export function getDimensionGroupAttributes() {
  throw new Error('@dbmx/sdmx/data is not available: the test expected the .Stat Suite data preparation not to call it');
}
