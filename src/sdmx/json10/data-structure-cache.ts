/**
 * The `structure` (1.0) or `structures` (2.0.0) section of SDMX-JSON data messages, kept once
 * written. Most queries repeat with the same codes (one series, one country...), and describing
 * the same codes again for every message cost more than writing a small message's observations
 * (docs/performance.md).
 *
 * An entry is found by everything the section depends on: the context's structures and lookups
 * (by identity: they do not change while loaded), the languages, the view and detail, and the
 * codes the message met, in order. Languages met while describing are recorded and replayed
 * into the message's Localiser, so `meta.contentLanguages` comes out the same on a hit.
 */
import type { DataMessageContext } from '../data/model.js';
import type { Text } from '../model.js';
import { Localiser } from './common.js';
import type { DataLayout } from './data-stream.js';

interface Entry {
  readonly text: string;
  /** Languages met while writing the section, lower case, in the order met. */
  readonly languages: readonly string[];
}

/** A Localiser that also notes the languages it meets. */
class RecordingLocaliser extends Localiser {
  readonly met: string[] = [];

  override pair(t: Text | undefined): { one?: string; all?: Record<string, string> } {
    for (const lang of Object.keys(t ?? {})) {
      const k = lang.toLowerCase();
      if (!this.met.includes(k)) this.met.push(k);
    }
    return super.pair(t);
  }
}

/** Codes of large messages are not worth a key this long, nor their section the memory. */
const MAX_KEY_CHARS = 16 * 1024;
const MAX_ENTRIES = 256;

const memo = new WeakMap<object, WeakMap<object, WeakMap<object, WeakMap<object, Map<string, Entry>>>>>();
const NO_NAMES = {};

function entriesFor(ctx: DataMessageContext): Map<string, Entry> {
  const byFlow = memo.get(ctx.dsd) ?? new WeakMap();
  memo.set(ctx.dsd, byFlow);
  const byCodelists = byFlow.get(ctx.dataflow) ?? new WeakMap();
  byFlow.set(ctx.dataflow, byCodelists);
  const byNames = byCodelists.get(ctx.codelistOf) ?? new WeakMap();
  byCodelists.set(ctx.codelistOf, byNames);
  const names = ctx.componentName ?? NO_NAMES;
  const entries = byNames.get(names) ?? new Map<string, Entry>();
  byNames.set(names, entries);
  return entries;
}

function keyOf(ctx: DataMessageContext, variant: string, layout: DataLayout): string {
  let key = `${variant}\u0002${(ctx.header.languages ?? []).join(',')}\u0002${ctx.dimensionAtObservation}\u0002${ctx.detail}`;
  key += `\u0002${ctx.provisionAgreement ? `${ctx.provisionAgreement.agencyID}:${ctx.provisionAgreement.id}(${ctx.provisionAgreement.version})` : ''}`;
  const slots = [...layout.seriesDimensions, ...layout.observationDimensions, ...layout.dataSetAttributes, ...layout.seriesAttributes, ...layout.observationAttributes];
  for (const slot of slots) {
    key += `\u0002${slot.values.values.join('\u0001')}`;
    if (key.length > MAX_KEY_CHARS) return '';
  }
  return key;
}

/**
 * The section's text: kept, or written by `write` (with a Localiser of the message's
 * languages). `variant` names everything else `write` depends on (format version, data set
 * count). The languages met are noted in `loc` either way.
 */
export function structureSection(ctx: DataMessageContext, variant: string, layout: DataLayout, loc: Localiser, write: (loc: Localiser) => string): string {
  const key = keyOf(ctx, variant, layout);
  const entries = key ? entriesFor(ctx) : undefined;
  let entry = entries?.get(key);
  if (!entry) {
    const recording = new RecordingLocaliser(ctx.header.languages ?? []);
    entry = { text: write(recording), languages: recording.met };
    if (entries) {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, entry);
    }
  }
  // Replays the languages met, in order, into the message's own Localiser.
  if (entry.languages.length > 0) loc.pair(Object.fromEntries(entry.languages.map((l) => [l, l])));
  return entry.text;
}
