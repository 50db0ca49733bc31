/**
 * The quality indicators the server measures itself, for the reference metadata reports (issue
 * 15): punctuality, timeliness, revisions, completeness and suppression, for a dataflow or a
 * dataflow × reference area, at an instant, over what is public at that instant and nothing
 * else. Definitions, formulas, units and sources: docs/quality-indicators.md.
 *
 * - Visibility is everyone's: the data come from the DataService's view of the dataflow at the
 *   instant (its releases are the calendar gate's, visibility.ts), the punctuality from the
 *   public release calendar computed at the instant (calendar.ts). An instant after now is now:
 *   nothing later is known, and nothing embargoed may be read.
 * - The data facts are computed once per view (one set of visible releases and structures,
 *   flow-views.ts), for the dataflow and every area together, in turns of a few milliseconds
 *   (turns.ts) so a first request does not hold up others; concurrent requests share the scan.
 *   The calendar part is recomputed per call (it is small, and postponements and cancellations
 *   change it without changing the data).
 * - Results are plain data: numbers with their units (measures.ts) and the counts they are
 *   made of, deterministic for a given visible state.
 */
import type { Clock } from '../../clock.js';
import { ServiceError, invalidParameter } from '../../errors.js';
import { parseInstant } from '../../sdmx/time-period.js';
import type { DataSelection } from '../../sdmx/data/query.js';
import type { Repositories } from '../../storage/repositories.js';
import { CalendarService } from '../calendar/calendar.js';
import { codelistOf, type DataService, type FlowView } from '../data/data-service.js';
import type { DataTarget } from '../data/target.js';
import type { StructureService } from '../structure-service.js';
import { runInTurns } from '../turns.js';
import { AllowedCube, completenessOf, type CompletenessIndicator } from './completeness.js';
import { punctualityOf, type PunctualityIndicator } from './punctuality.js';
import { revisionsOf, type RevisionIndicator } from './revisions.js';
import { suppressionOf, type SuppressionIndicator } from './suppression.js';
import { timelinessOf, type TimelinessIndicator } from './timeliness.js';
import { AREA_DIMENSION, ScopeCounters, scanVintages, type FlowFacts } from './vintages.js';

export type { Quantity, Percent, Days } from './measures.js';
export type { PunctualityIndicator, ReleasePunctuality, PunctualityStatus } from './punctuality.js';
export type { TimelinessIndicator, ReleaseTimeliness } from './timeliness.js';
export type { RevisionIndicator, ReleaseRevisions, UnitRevisions } from './revisions.js';
export type { CompletenessIndicator, DimensionCompleteness } from './completeness.js';
export type { SuppressionIndicator, ReleaseSuppression } from './suppression.js';

export interface QualityScope {
  /** `AGENCY:ID(VERSION)`, or a bare dataflow id (its latest version, any agency). */
  readonly dataflow: string;
  /** A REF_AREA code: the indicators of that area's data in the dataflow. */
  readonly area?: string;
  /** The instant (ISO-8601; default now; a later one is now). */
  readonly at?: string;
}

export interface QualityIndicators {
  /** `AGENCY:ID(VERSION)`. */
  readonly dataflow: string;
  readonly area: string | null;
  /** The instant the indicators are for (ISO-8601 UTC). */
  readonly at: string;
  /** The visible releases of the dataflow that published cells in the scope, oldest first. */
  readonly releases: readonly { readonly code: string; readonly publishedAt: string }[];
  readonly punctuality: PunctualityIndicator;
  readonly timeliness: TimelinessIndicator;
  readonly revisions: RevisionIndicator;
  readonly completeness: CompletenessIndicator;
  readonly suppression: SuppressionIndicator;
}

export interface QualityServiceOptions {
  readonly data: DataService;
  readonly structures: StructureService;
  readonly repositories: Repositories;
  readonly clock: Clock;
  /** How long a turn of the scan lasts before the event loop gets its turn (ms). */
  readonly turnMs?: number;
}

export class QualityService {
  /** Data facts per flow view: a view stands for one set of visible releases and structures. */
  private readonly facts = new WeakMap<FlowView, Promise<FlowFacts>>();
  /** The instant the calendar is computed at (set just before each synchronous call). */
  private calendarAt = 0;
  private readonly calendar: CalendarService;

  constructor(private readonly options: QualityServiceOptions) {
    this.calendar = new CalendarService(options.repositories, { now: () => new Date(this.calendarAt) });
  }

  async indicators(scope: QualityScope): Promise<QualityIndicators> {
    const at = this.instantOf(scope.at);
    const { target, view } = this.options.data.target(selectionOf(scope.dataflow, at));
    const areaAt = scope.area === undefined ? -1 : this.checkArea(target, scope.area);
    const facts = await this.factsOf(target, view);
    const counters = scope.area === undefined ? facts.flow : (facts.areas.get(scope.area) ?? new ScopeCounters(facts.cube.dimensions.length));
    const releases = view.releases.filter((r) => counters.timeliness.periods.has(r.rank) || counters.suppression.of(r.rank) !== undefined);
    const flowYears = facts.flow.completeness;
    const years = Number.isFinite(flowYears.firstYear) ? { first: flowYears.firstYear, last: flowYears.lastYear } : null;

    this.calendarAt = Date.parse(at);
    const entries = this.calendar.view({ dataflows: [target.flowKey] }).items.map((i) => i.entry);
    return {
      dataflow: target.flowKey,
      area: scope.area ?? null,
      at,
      releases: releases.map((r) => ({ code: r.code, publishedAt: r.announcedAt })),
      punctuality: punctualityOf(entries, at, scope.area === undefined ? undefined : new Set(releases.map((r) => r.code))),
      timeliness: timelinessOf(counters.timeliness, view.releases),
      revisions: revisionsOf(counters.revisions, view.releases),
      completeness: completenessOf(facts.cube, counters.completeness, years, areaAt < 0 ? undefined : { dimension: areaAt, code: scope.area! }),
      suppression: suppressionOf(counters.suppression, view.releases),
    };
  }

  /** The facts of a view, computed once; concurrent callers share the computation. */
  private factsOf(target: DataTarget, view: FlowView): Promise<FlowFacts> {
    let known = this.facts.get(view);
    if (!known) {
      const cube = AllowedCube.of(this.options.structures, target);
      known = runInTurns(scanVintages(this.options.repositories.data, view, cube), this.options.turnMs);
      this.facts.set(view, known);
      // A failed scan is not kept: the next call tries again.
      known.catch(() => this.facts.delete(view));
    }
    return known;
  }

  /** `at` normalised, and never later than now. */
  private instantOf(text: string | undefined): string {
    const now = this.options.clock.now().getTime();
    if (text === undefined) return new Date(now).toISOString();
    const parsed = parseInstant(text);
    if (parsed === undefined) throw invalidParameter('at', `Invalid instant "${text}": expected an ISO-8601 date or date-time`);
    return new Date(Math.min(Date.parse(parsed), now)).toISOString();
  }

  /** The key position of REF_AREA; throws when the DSD has none or the code is not in its codelist. */
  private checkArea(target: DataTarget, area: string): number {
    const at = target.dsd.dimensions.findIndex((d) => d.id === AREA_DIMENSION);
    if (at < 0) throw invalidParameter('area', `${target.flowKey} has no ${AREA_DIMENSION} dimension`);
    const codelist = codelistOf(this.options.structures, target.dsd, AREA_DIMENSION);
    if (codelist && !codelist.items.some((i) => i.id === area)) {
      throw invalidParameter('area', `"${area}" is not a code of ${codelist.id}`);
    }
    return at;
  }
}

/** A dataflow reference as a data selection at an instant. */
function selectionOf(dataflow: string, at: string): DataSelection {
  const full = /^([^:()]+):([^:()]+)\(([^()]+)\)$/.exec(dataflow);
  if (!full && !/^[A-Za-z0-9_@$-]+$/.test(dataflow)) {
    throw new ServiceError('invalid-input', `Invalid dataflow "${dataflow}": expected AGENCY:ID(VERSION) or an id`, { parameter: 'dataflow' });
  }
  return {
    api: '3.0',
    context: 'dataflow',
    flow: full ? { agencyId: full[1]!, id: full[2]!, version: full[3]! } : { agencyId: '*', id: dataflow, version: '~' },
    filters: [],
    asOf: at,
  };
}
