/**
 * The release calendar (`/{lang}/calendar`) and a release's page (`/{lang}/releases/{code}`), over
 * the public calendar computed at the request instant (the same as `/api/v1/calendar`): a code
 * that is not on it (unknown, draft) is the portal's 404 page. What a published release wrote
 * and changed is read through the observations service, in the state of the data right after it
 * was published (`release=`), so the page shows exactly what the data APIs say of it; nothing is
 * read for a release before its instant (embargo).
 */
import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../../errors.js';
import type { Dataflow } from '../../sdmx/model.js';
import type { CalendarEntry } from '../../services/calendar/calendar.js';
import { exactName, pathNameOf, textIn } from '../../services/catalogue/artefacts.js';
import type { ObservationsAnswer, ObservationsApi } from '../../services/data/observations.js';
import { parseObservationsRequest } from '../../services/data/observations-query.js';
import { runInTurns, type Pausable } from '../../services/turns.js';
import type { ObservationRow, StoredSeries } from '../../storage/repositories.js';
import { API_PREFIX } from '../api/prefix.js';
import { CalendarPage, CALENDAR_WORDS, type DataflowLink, type DataflowLinks } from './calendar.js';
import type { PortalLanguage } from './i18n.js';
import { HIDDEN_ROUTE, sendNotFound, sendPage } from './page-reply.js';
import { ReleasePage, type FlowChanges, type RevisedValue, type VintageValue } from './release.js';
import type { PortalScope, PortalServices } from './scope.js';

/** Revised values shown per dataflow; the rest are counted (the permalink has them all). */
export const MAX_REVISED_ROWS = 50;

export function calendarPages(app: FastifyInstance, scope: PortalScope): void {
  const { lang, services } = scope;

  app.get('/calendar', HIDDEN_ROUTE, async (request, reply) => {
    const view = services.calendar.view();
    const entries = view.items.map((i) => i.entry);
    return sendPage(request, reply, CalendarPage({ lang, at: view.at, entries, links: dataflowLinks(services, lang) }), scope.cacheLifetime);
  });

  app.get<{ Params: { code: string } }>('/releases/:code', HIDDEN_ROUTE, async (request, reply) => {
    const view = services.calendar.view();
    const entries = view.items.map((i) => i.entry);
    const entry = entries.find((e) => e.code === request.params.code);
    // Drafts and unknown codes alike: the page never tells that a draft exists.
    if (!entry) return sendNotFound(reply, lang, CALENDAR_WORDS[lang].notFoundRelease);
    const links = dataflowLinks(services, lang);
    // Embargo: the data are read only once the calendar says the release is public.
    const changes = entry.state === 'published' ? await Promise.all(entry.dataflows.map((ref) => flowChanges(services.observations, entry, links(ref), lang))) : null;
    return sendPage(request, reply, ReleasePage({ lang, at: view.at, entry, entries, links, changes }), scope.cacheLifetime);
  });
}

/** Names and page links of the dataflows the calendar names (`AGENCY:ID(VERSION)`), from the structures served. */
function dataflowLinks(services: PortalServices, lang: PortalLanguage): DataflowLinks {
  const registry = services.structures.registry;
  const known = new Map<string, DataflowLink>();
  for (const flow of registry.ofClass('Dataflow') as readonly Dataflow[]) {
    const ref = exactName(flow);
    known.set(ref, { ref, name: textIn(flow.name, lang) ?? flow.id, href: `/${lang}/dataflows/${pathNameOf(registry, flow)}` });
  }
  // A release may name a dataflow whose structures were withdrawn: named, not linked.
  return (ref) => known.get(ref) ?? { ref, name: ref, href: null };
}

/**
 * What a published release wrote in one dataflow, against what was public before it: its values
 * in the state of the data right after it (every vintage of each value read), those it wrote
 * counted as new, revised or unchanged, and the first revised ones kept. The read takes a few
 * hundred milliseconds on the largest dataflows, so it runs in turns with the event loop free in
 * between (turns.ts). A published release and the state before it never change, so the result is
 * kept per answer validator (which names the visible state, the structures and the language);
 * concurrent requests share one read.
 */
function flowChanges(observations: ObservationsApi, entry: CalendarEntry, link: DataflowLink, lang: PortalLanguage): Promise<FlowChanges | null> {
  const rawQuery = `release=${encodeURIComponent(entry.code)}&lang=${lang}&format=json`;
  let answer: ObservationsAnswer;
  try {
    answer = observations.answer({ ...parseObservationsRequest(link.ref, rawQuery, undefined, undefined), walk: 'series' }, rawQuery);
  } catch (err) {
    // Structures no longer served, or the release no longer public: no figures to show.
    if (err instanceof ServiceError && (err.kind === 'not-found' || err.kind === 'invalid-input')) return Promise.resolve(null);
    throw err;
  }
  let memo = memos.get(observations);
  if (!memo) memos.set(observations, (memo = new Map()));
  const memoKey = `${entry.code}\u0000${lang}\u0000${answer.etag}`;
  const known = memo.get(memoKey);
  if (known) return known;
  const changes = runInTurns(readChanges(answer, entry.code, link, lang));
  if (memo.size >= MEMO_ENTRIES) memo.clear();
  memo.set(memoKey, changes);
  // A failed read is not kept: the next request tries again.
  changes.catch(() => memo.delete(memoKey));
  return changes;
}

/** The read itself, pausing after each series (storage pages are read whole: no cursor stays open). */
function* readChanges(answer: ObservationsAnswer, code: string, link: DataflowLink, lang: PortalLanguage): Pausable<FlowChanges | null> {
  const release = answer.releasesRead.find((r) => r.code === code);
  if (!release) return null;
  const releaseCode = (pk: number) => answer.releaseOf(pk)?.code ?? String(pk);
  const vintage = (row: ObservationRow, series: StoredSeries): VintageValue => ({
    value: row[3] === null || !Number.isFinite(row[3]) ? null : row[3],
    suppressed: answer.cellOf(row, series).suppressed,
    withdrawn: row[5] === 1,
  });
  let values = 0;
  let added = 0;
  let revised = 0;
  let unchanged = 0;
  const kept: { series: StoredSeries; period: string; before: VintageValue; beforeRelease: string; after: VintageValue }[] = [];
  const { series } = answer.seriesPage(Number.MAX_SAFE_INTEGER);
  for (const { series: s, rows, vintages } of answer.valuesOf(series, { vintages: true })) {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      // Right after the release, it outranks every other: a value it wrote is the current one.
      if (row[1] !== release.pk) continue;
      values += 1;
      const history = vintages![i]!;
      if (history.length < 2) {
        added += 1;
        continue;
      }
      const previous = history[history.length - 2]!;
      if (previous[5] !== 1 && sameFigure(previous[3], row[3])) {
        unchanged += 1;
        continue;
      }
      revised += 1;
      if (kept.length < MAX_REVISED_ROWS) kept.push({ series: s, period: row[2], before: vintage(previous, s), beforeRelease: releaseCode(previous[1]), after: vintage(row, s) });
    }
    yield;
  }

  // The codes every kept row shares are said once; each row names the others.
  const dimensions = answer.dsd.dimensions.map((d) => d.id);
  const varies = dimensions.map((id) => new Set(kept.map((k) => k.series.dimensions[id])).size > 1);
  const label = (id: string, code: string | undefined) => (code === undefined ? '' : (answer.dimensionLabel(id, code) ?? code));
  const first = kept[0]?.series;
  const shared = first ? dimensions.filter((_, i) => !varies[i]).map((id) => label(id, first.dimensions[id])).filter((l) => l !== '') : [];
  const rows: RevisedValue[] = kept.map((k) => ({
    key: k.series.key,
    labels: dimensions.filter((_, i) => varies[i]).map((id) => label(id, k.series.dimensions[id])),
    period: k.period,
    before: k.before,
    beforeRelease: k.beforeRelease,
    after: k.after,
  }));
  const flow = answer.dataflow;
  const permalink = `${API_PREFIX}/releases/${encodeURIComponent(code)}/data/${encodeURIComponent(flow.agencyID)}/${encodeURIComponent(flow.id)}/${encodeURIComponent(flow.version)}?lang=${lang}`;
  return { flow: link, values, added, revised, unchanged, rows, shared, permalink };
}

/** Two stored figures are the same value (no value on both sides included). */
function sameFigure(a: number | null, b: number | null): boolean {
  const x = a === null || !Number.isFinite(a) ? null : a;
  const y = b === null || !Number.isFinite(b) ? null : b;
  return x === y;
}

/** Per observations service (one per app), the changes of (release, answer validator). */
const memos = new WeakMap<ObservationsApi, Map<string, Promise<FlowChanges | null>>>();
const MEMO_ENTRIES = 256;
