/**
 * The JSON data API's answers: which state of the data a request reads, and everything its
 * HTTP validators need, before any observation is read.
 *
 * - `current`: the data as public now, as it was public at `asOf`, or as it stood right after a
 *   release was published (the releases visible at its instant, ranked up to and including it).
 * - `permalink`: exactly the rows one release wrote, values as published and withdrawals marked;
 *   a published release never changes, so the answer is cacheable for good.
 *
 * A release that is not public yet (embargoed, draft, cancelled) is refused exactly as an
 * unknown code is: same status, same body, so an answer never tells that it exists. Visibility
 * comes from the data service's release timeline, i.e. from services/visibility.ts.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';

import type { Codelist, Maintainable } from '../../sdmx/model.js';
import type { DataSelection } from '../../sdmx/data/query.js';
import type { DataRepository, StoredSeries } from '../../storage/repositories.js';
import type { StructureService } from '../structure-service.js';
import type { VisibleRelease } from '../visibility.js';
import { codelistOf, type DataService, type FlowView } from './data-service.js';
import { matchSeries } from './flow-views.js';
import { jsonBody, textIn } from './json-api-body.js';
import { checkKeyCodes, type JsonDataRequest } from './json-api-query.js';
import { buildSelection, type Selection } from './selection.js';
import type { DataTarget } from './target.js';
import { ServiceError } from '../../errors.js';

/**
 * A permalink to a public release: a release is published at its instant and never moves
 * again once the public has seen it (services/calendar/workflow.ts), so its answer never changes.
 */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else: as the SDMX data routes (a release may become visible at any instant). */
const REVALIDATE = 'public, max-age=300';

export interface JsonDataAnswer {
  /** Weak for the current data; for a permalink the strong opaque tag, without quotes. */
  readonly etag: string;
  /** True for a permalink: byte-identical answers, the route adds the content coding. */
  readonly strong: boolean;
  readonly lastModified: Date;
  readonly cacheControl: string;
  /** Rows the series of the answer hold: an upper bound of its observations. */
  readonly estimatedObservations: number;
  /** Throws a too-large ServiceError when the estimate is above what the service returns at once. */
  checkSize(): void;
  /** The document as text pieces, read from storage as they are pulled. */
  body(): Generator<string>;
  /** `AGENCY:ID(VERSION)` of the dataflow, and the releases whose rows the answer reads (preview audit). */
  readonly flowKey: string;
  readonly releasesRead: readonly VisibleRelease[];
}

export interface JsonDataApiDependencies {
  readonly data: DataService;
  readonly structures: StructureService;
  readonly storedData: DataRepository;
  readonly clock: Clock;
}

export class JsonDataApi {
  constructor(private readonly deps: JsonDataApiDependencies) {}

  private previewTwin: JsonDataApi | undefined;
  /** The same API over `DataService.previewing` (the `preview` role): scheduled releases count early. */
  get previewing(): JsonDataApi {
    return (this.previewTwin ??= new JsonDataApi({ ...this.deps, data: this.deps.data.previewing }));
  }

  /** The data now, at `asOf`, or right after `release`. */
  current(request: JsonDataRequest): JsonDataAnswer {
    const resolved = this.resolve(request);
    const now = this.deps.clock.now();
    let view = resolved.view;
    let asOf: string;
    if (request.release !== undefined) {
      const through = this.deps.data.viewThrough(resolved.target, request.release!);
      if (!through) throw unknownRelease();
      view = through.view;
      asOf = through.release.announcedAt;
    } else {
      // A later asOf is now: nothing later is known yet.
      asOf = request.asOf !== undefined && Date.parse(request.asOf) < now.getTime() ? request.asOf : now.toISOString();
    }
    const lastModified = new Date(Math.max(view.lastModified.getTime(), resolved.structuresModified.getTime()));
    const etag = weakTag(['json-data', resolved.target.flowKey, JSON.stringify(request.echo), view.fingerprint, resolved.structuresModified.toISOString()]);
    return this.answer(request, resolved, view, { asOf }, { etag, strong: false, lastModified, cacheControl: REVALIDATE }, false);
  }

  /** Exactly what release `code` wrote for the dataflow; 404 unless it is public now. */
  permalink(code: string, request: JsonDataRequest): JsonDataAnswer {
    const resolved = this.resolve(request);
    const through = this.deps.data.viewThrough(resolved.target, code);
    if (!through) throw unknownRelease();
    const { release } = through;
    const { target } = resolved;
    if (!release.dataflows.includes(target.flowKey)) {
      throw new ServiceError('not-found', `Release ${release.code} does not cover dataflow ${target.flowKey}; it covers ${release.dataflows.join(', ')}`);
    }
    const view = this.deps.data.releaseOnlyView(target, release);
    const lastModified = new Date(Math.max(Date.parse(release.announcedAt), resolved.structuresModified.getTime()));
    const etag = strongTag(['json-data-release', String(release.pk), release.code, release.announcedAt, target.flowKey, JSON.stringify(request.echo), resolved.structuresModified.toISOString()]);
    const head = { release: { code: release.code, announcedAt: release.announcedAt }, asOf: release.announcedAt };
    return this.answer(request, resolved, view, head, { etag, strong: true, lastModified, cacheControl: IMMUTABLE }, true);
  }

  private resolve(request: JsonDataRequest): Resolved {
    const { flow } = request;
    const selection: DataSelection = {
      api: '2.1',
      context: 'dataflow',
      flow: { agencyId: flow.agency, id: flow.id, version: flow.version },
      keys: request.key ? [request.key] : undefined,
      filters: [],
      startPeriod: request.startPeriod,
      endPeriod: request.endPeriod,
      asOf: request.asOf,
    };
    const { target, view } = this.deps.data.target(selection);
    const { dsd } = target;
    const codelists = new Map<string, Codelist | undefined>(dsd.dimensions.map((d) => [d.id, codelistOf(this.deps.structures, dsd, d.id)]));
    const codelistOfDimension = (id: string) => codelists.get(id);
    if (request.key) checkKeyCodes(dsd, request.key, codelistOfDimension);
    const structures: Maintainable[] = [target.dataflow, dsd, ...[...codelists.values()].filter((c): c is Codelist => c !== undefined)];
    return {
      target,
      view,
      selection: buildSelection(dsd, selection, target.providers),
      codelistOf: codelistOfDimension,
      structuresModified: this.deps.structures.lastModifiedOf(structures),
    };
  }

  private answer(
    request: JsonDataRequest,
    resolved: Resolved,
    view: FlowView,
    state: { readonly asOf: string; readonly release?: unknown },
    validators: Pick<JsonDataAnswer, 'etag' | 'strong' | 'lastModified' | 'cacheControl'>,
    ownRows: boolean,
  ): JsonDataAnswer {
    const { target } = resolved;
    // Matching the catalogue is left until needed: a 304 never pays for it.
    let page: { series: readonly StoredSeries[]; matched: number } | undefined;
    const paged = () => {
      if (!page) {
        const matched = matchSeries(view, resolved.selection);
        const end = request.limit === undefined ? undefined : request.offset + request.limit;
        page = { series: matched.slice(request.offset, end), matched: matched.length };
      }
      return page;
    };
    const estimate = () => paged().series.reduce((n, s) => n + (view.rowCounts.get(s.pk) ?? 0), 0);
    const { dataflow } = target;
    return {
      ...validators,
      flowKey: target.flowKey,
      releasesRead: view.releases,
      get estimatedObservations() {
        return estimate();
      },
      checkSize: () => this.deps.data.checkObservationCount(estimate()),
      body: () => {
        const { series, matched } = paged();
        const next = request.limit !== undefined && request.offset + request.limit < matched ? request.offset + request.limit : null;
        const head = {
          dataflow: { agency: dataflow.agencyID, id: dataflow.id, version: dataflow.version, name: textIn(dataflow.name, request.lang) },
          ...(state.release === undefined ? {} : { release: state.release }),
          query: request.echo,
          asOf: state.asOf,
          paging: { offset: request.offset, limit: request.limit ?? null, matchedSeries: matched, next },
        };
        return jsonBody(
          {
            head,
            series,
            rowCounts: view.rowCounts,
            releases: view.releases,
            ownRows,
            test: resolved.selection.observations,
            dsd: target.dsd,
            lang: request.lang,
            codelistOf: resolved.codelistOf,
          },
          this.deps.storedData,
        );
      },
    };
  }
}

interface Resolved {
  readonly target: DataTarget;
  /** The view at `asOf`, or now. */
  readonly view: FlowView;
  readonly selection: Selection;
  codelistOf(dimensionId: string): Codelist | undefined;
  /** Newest storage instant of the dataflow, its DSD and the codelists its labels come from. */
  readonly structuresModified: Date;
}

/**
 * The one refusal for a release the public cannot see, whatever the reason (unknown, draft,
 * cancelled, embargoed): the code is not even repeated, so bodies are byte-identical.
 */
function unknownRelease(): ServiceError {
  return new ServiceError('not-found', 'No public release has this code', { code: 'unknown-release' });
}

function weakTag(parts: readonly string[]): string {
  return `W/"${hash(parts)}"`;
}

function strongTag(parts: readonly string[]): string {
  return hash(parts);
}

function hash(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url').slice(0, 32);
}
