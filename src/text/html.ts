/**
 * Text for HTML written by hand (the front door, GraphiQL's page; the portal's pages are escaped by
 * Preact): the five characters that could end a text or an attribute value, as numeric references.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
