/** Types for the two JavaScript SDMX-JSON clients test/routes/sdmx-rest/json-clients.test.ts drives (neither ships its own). */
declare module 'sdmx-json-parser' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const parser: { SDMXParser: new () => Record<string, any> };
  export default parser;
}

declare module '@sis-cc/dotstatsuite-components' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const rules2: Record<string, (...args: any[]) => any>;
}
