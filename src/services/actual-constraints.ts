/**
 * The Actual content constraints of the structure API (`actualconstraint`, `contentconstraint`,
 * 3.0 `dataconstraint`, and a dataflow's parents): what each dataflow holds, computed from the
 * data visible now by the availability service, so embargoed, draft and staged data never count.
 *
 * Per dataflow with visible data (agency UNODC, version 1.0, attached to the dataflow):
 * - `CR_D_<dataflow>`: everything visible now. Its cube region lists, per dimension, the codes
 *   the visible series take; its ReferencePeriod is the span of their observations (first
 *   period's start to last period's end); `sdmx_metrics` annotations count series and
 *   observations (as the .Stat Suite's availability does); validFrom is the instant of the
 *   newest release behind it, a `RELEASES` annotation lists those releases;
 * - `CR_D_<dataflow>_<release>`: what one visible release wrote for the dataflow (its current
 *   observations alone, whatever later releases revised), for each release that holds some.
 *   validFrom is the release's announced instant, given again with its code in `RELEASE`
 *   annotations; name and description say which release and when. The release code becomes an
 *   SDMX id with `.` as `_`; should two codes then clash, the later release gets `_2`, `_3`...
 *   (ranks follow announced instants, so an id never changes once given).
 *
 * A dataflow without visible data has none: an included cube region without key values would
 * say "anything", not "nothing". Nothing here is stored or checked at start-up; the set is
 * made once per visible state (`DataService.visibleStateId()`: the release calendar's state at
 * the clock's instant, and the structure catalogue), so a release appears in every constraint
 * exactly at its instant, and answers (content ETags, Last-Modified) change then and not before.
 */
import {
  refKey,
  refOf,
  type Annotation,
  type ContentConstraint,
  type Dataflow,
} from '../sdmx/model.js';
import type { AvailabilityQuery } from '../sdmx/data/query.js';

import type { StructureQuery } from '../sdmx/structure-query/query.js';
import { planAvailability } from './data/availability.js';
import type { DataService } from './data/data-service.js';
import type { DerivedArtefacts, StructureService } from './structure-service.js';
import type { VisibleRelease } from './visibility.js';
import { ServiceError } from '../errors.js';

export const ACTUAL_CONSTRAINT_PREFIX = 'CR_D_';

const withoutMilliseconds = (instant: string) => instant.replace(/\.\d{3}Z$/, 'Z');

/** A release code as an SDMX id part: codes allow `.`, SDMX ids do not. */
const idPart = (code: string) => code.replace(/[^A-Za-z0-9_@$-]/g, '_');

export class ActualConstraints {
  private kept: DerivedArtefacts | undefined;

  constructor(
    private readonly data: DataService,
    private readonly structures: StructureService,
  ) {}

  /** The constraints of what is visible now (made again only when the visible state changed). */
  current(): DerivedArtefacts {
    const id = this.data.visibleStateId();
    if (this.kept?.id !== id) this.kept = { id, ...this.build() };
    return this.kept;
  }

  private build(): Omit<DerivedArtefacts, 'id'> {
    const artefacts: ContentConstraint[] = [];
    const modified = new Map<string, Date>();
    const add = (c: ContentConstraint, at: Date) => {
      artefacts.push(c);
      modified.set(refKey(refOf(c)), at);
    };
    for (const flow of this.structures.registry.ofClass('Dataflow') as Dataflow[]) {
      const query: AvailabilityQuery = {
        api: '2.1',
        context: 'dataflow',
        flow: { agencyId: flow.agencyID, id: flow.id, version: flow.version },
        filters: [],
        mode: 'exact',
        references: ['none'],
      };
      let releases: readonly VisibleRelease[];
      try {
        releases = this.data.target(query).view.releases;
      } catch (err) {
        // A dataflow the data service cannot serve (e.g. its DSD is missing) holds no data.
        if (err instanceof ServiceError) continue;
        throw err;
      }
      const whole = releases.length ? this.content(query) : undefined;
      if (!whole) continue;
      const newest = releases[releases.length - 1]!;
      add(
        {
          ...whole.constraint,
          id: `${ACTUAL_CONSTRAINT_PREFIX}${flow.id}`,
          name: { en: `Data available in ${flow.id}`, es: `Datos disponibles en ${flow.id}` },
          description: {
            en:
              `What ${flow.id} holds now: the codes each dimension takes in its data and the period its observations cover, ` +
              `from the releases its RELEASES annotation lists (newest: ${newest.code}, published ${withoutMilliseconds(newest.announcedAt)}). ` +
              'It changes when a release is published.',
          },
          validFrom: withoutMilliseconds(newest.announcedAt),
          annotations: [...(whole.constraint.annotations ?? []), { id: 'releases', type: 'RELEASES', title: releases.map((r) => r.code).join(',') }],
        },
        whole.lastModified,
      );
      const taken = new Map<string, number>();
      for (const release of releases) {
        const own = this.content(query, release);
        if (!own) continue;
        const base = `${ACTUAL_CONSTRAINT_PREFIX}${flow.id}_${idPart(release.code)}`;
        const seen = (taken.get(base) ?? 0) + 1;
        taken.set(base, seen);
        const at = withoutMilliseconds(release.announcedAt);
        const releaseAnnotations: Annotation[] = [
          { id: 'release', type: 'RELEASE', title: release.code },
          { id: 'release_instant', type: 'RELEASE_INSTANT', title: at },
        ];
        add(
          {
            ...own.constraint,
            id: seen === 1 ? base : `${base}_${seen}`,
            name: { en: `Data of release ${release.code} in ${flow.id}`, es: `Datos de la publicación ${release.code} en ${flow.id}` },
            description: {
              en:
                `What release ${release.code}, published ${at}, wrote for ${flow.id}: the codes each dimension takes in its observations ` +
                'and the period they cover, whether or not later releases revised them.',
            },
            validFrom: at,
            annotations: [...(own.constraint.annotations ?? []), ...releaseAnnotations],
          },
          own.lastModified,
        );
      }
    }
    return { artefacts, modified };
  }

  /** The availability of the whole dataflow, or of one release's rows; undefined when empty. */
  private content(query: AvailabilityQuery, release?: VisibleRelease): { constraint: ContentConstraint; lastModified: Date } | undefined {
    const plan = planAvailability(this.data, this.structures, query, release);
    const constraint = plan.artefacts()[0] as ContentConstraint;
    // The availability counts series in `sdmx_metrics` annotations, given only when there are some.
    if (!constraint.annotations?.some((a) => a.id === 'series_count')) return undefined;
    return { constraint: { ...constraint, isFinal: false }, lastModified: plan.lastModified };
  }
}

const perDataService = new WeakMap<DataService, ActualConstraints>();

/** The Actual constraints of a data service's public view (one set per service). */
export function actualConstraintsOf(data: DataService, structures: StructureService): ActualConstraints {
  let known = perDataService.get(data);
  if (!known) {
    known = new ActualConstraints(data, structures);
    perDataService.set(data, known);
  }
  return known;
}

/**
 * Whether a structure query can return an Actual constraint: it asks for constraints (not the
 * Allowed ones only), or for artefacts that reference its matches (a dataflow's parents include
 * its constraints). Other queries skip computing them.
 */
export function mayReachActualConstraints(q: StructureQuery): boolean {
  if (q.classes.includes('ContentConstraint') && q.constraintType !== 'Allowed') return true;
  return q.references.some((r) =>
    r.kind === 'class'
      ? r.classes.includes('ContentConstraint') && r.constraintType !== 'Allowed'
      : r.kind === 'parents' || r.kind === 'parentsandsiblings' || r.kind === 'ancestors' || r.kind === 'all',
  );
}
