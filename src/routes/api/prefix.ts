/** Where the JSON API lives; its routes are declared relative to it (routes/api/index.ts). */
export const API_PREFIX = '/api/v1';
