/**
 * A chart of the explorer as a file of its own: the SVG drawn for the page, framed with its title
 * and its source and permalink (a file leaves the page that says them), and the same as a PNG
 * made on the server (resvg, a maintained SVG renderer shipped as a prebuilt addon per platform),
 * so that both downloads work without JavaScript. Text is drawn with the system's fonts: the
 * container image installs DejaVu; where no font is installed the PNG keeps its marks, not its words.
 */
import { Resvg } from '@resvg/resvg-js';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

export const CHART_FILE_TYPES = {
  svg: 'image/svg+xml; charset=utf-8',
  png: 'image/png',
} as const;
export type ChartFileType = keyof typeof CHART_FILE_TYPES;

/** A PNG at twice the SVG's size: sharp on high-density screens and in print. */
const PNG_ZOOM = 2;

export function chartFile(svg: VNode, type: ChartFileType): Buffer {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${renderToString(svg)}`;
  if (type === 'svg') return Buffer.from(text, 'utf8');
  const renderer = new Resvg(text, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: PNG_ZOOM }, background: '#ffffff' });
  return renderer.render().asPng();
}
