/**
 * The public release calendar, computed per request from the clock: every release that was ever
 * announced, with its postponements, cancellation and punctuality. Nothing here is a job: a
 * scheduled release whose instant has come is shown as published because it is visible
 * (services/visibility.ts), and the reference metadata of its disclosure control appears at the
 * same instant, never before (embargo). Actors are never part of a calendar entry.
 */
import type { Clock } from '../../clock.js';
import type { Release, ReleaseEvent, Repositories } from '../../storage/repositories.js';
import { isVisible } from '../visibility.js';
import type { CalendarFilter } from './filters.js';

export type CalendarState = 'scheduled' | 'published' | 'cancelled';
export const CALENDAR_STATES: readonly CalendarState[] = ['scheduled', 'published', 'cancelled'];

export interface Postponement {
  readonly at: string;
  readonly from: string | null;
  readonly to: string;
  readonly reason: string | null;
}

export interface Punctuality {
  /** The instant first announced. */
  readonly announced: string;
  /** The instant it became public. */
  readonly actual: string;
  /** actual − announced, in seconds (negative when brought forward). */
  readonly delaySeconds: number;
  readonly onTime: boolean;
}

export interface DisclosureControlNote {
  readonly dataflow: string;
  readonly method: string;
  readonly rules: unknown;
  readonly summary: unknown;
}

/** One release as the public sees it (the JSON calendar's entry). */
export interface CalendarEntry {
  readonly code: string;
  readonly title: string;
  readonly note: string | null;
  readonly dataflows: readonly string[];
  readonly state: CalendarState;
  /** The instant it is (or was) announced for, after any postponement. */
  readonly announcedAt: string;
  readonly firstAnnouncedAt: string;
  /** When it became public: its announced instant (visibility is by instant); null until then. */
  readonly publishedAt: string | null;
  /** Code of the release this one corrects. */
  readonly revises: string | null;
  readonly postponements: readonly Postponement[];
  readonly cancellation: { readonly at: string; readonly reason: string | null } | null;
  readonly punctuality: Punctuality | null;
  /** The last change the public can see: an event, or its publication. */
  readonly updatedAt: string;
  /** Only once visible: the disclosure-control method, rules and summary per dataflow. */
  readonly disclosureControl?: readonly DisclosureControlNote[];
}

/** An entry with what the feeds need besides it. */
export interface CalendarItem {
  readonly entry: CalendarEntry;
  /** When the release first went on the calendar (its `scheduled` event). */
  readonly listedAt: string;
}

export interface CalendarView {
  /** The instant the calendar was computed for. */
  readonly at: string;
  readonly items: readonly CalendarItem[];
  /**
   * Whole seconds until the next announced instant after `at` (when a scheduled release turns
   * published and its metadata appears), or null when none is pending: no cache may keep the
   * calendar past it.
   */
  readonly secondsUntilNextInstant: number | null;
}

const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

/** The public state of a release at an instant, or null when it was never announced. */
export function calendarStateOf(release: Release, at: string): CalendarState | null {
  if (release.state === 'draft') return null;
  if (release.state === 'cancelled') return release.announcedAt !== null || release.firstAnnouncedAt !== null ? 'cancelled' : null;
  return isVisible(release, at) ? 'published' : 'scheduled';
}

export class CalendarService {
  constructor(
    private readonly repositories: Repositories,
    private readonly clock: Clock,
  ) {}

  /**
   * The title and note of each release in the calendar now, by code: what an answer says about
   * the releases behind its values, without the calendar's events and disclosure-control
   * summaries (which read every stored protection run).
   */
  releaseTexts(): ReadonlyMap<string, { readonly title: string; readonly note: string | null }> {
    const at = this.clock.now().toISOString();
    const texts = new Map<string, { title: string; note: string | null }>();
    for (const release of this.repositories.releases.list()) {
      if (calendarStateOf(release, at) !== null) texts.set(release.code, { title: release.title, note: release.note });
    }
    return texts;
  }

  view(filter: CalendarFilter = {}): CalendarView {
    const at = this.clock.now().toISOString();
    const releases = this.repositories.releases.list();
    const codeOf = new Map(releases.map((r) => [r.pk, r.code]));
    const eventsOf = new Map<number, ReleaseEvent[]>();
    for (const e of this.repositories.releases.events()) {
      const list = eventsOf.get(e.releasePk);
      if (list) list.push(e);
      else eventsOf.set(e.releasePk, [e]);
    }
    const items: CalendarItem[] = [];
    for (const release of releases) {
      const state = calendarStateOf(release, at);
      if (state === null || !matches(release, state, filter)) continue;
      items.push(this.itemOf(release, state, at, eventsOf.get(release.pk) ?? [], codeOf));
    }
    items.sort((a, b) => Date.parse(a.entry.announcedAt) - Date.parse(b.entry.announcedAt) || a.entry.code.localeCompare(b.entry.code));
    return { at, items, secondsUntilNextInstant: secondsUntilNext(releases, at) };
  }

  private itemOf(release: Release, state: CalendarState, at: string, events: readonly ReleaseEvent[], codeOf: ReadonlyMap<number, string>): CalendarItem {
    const postponements = events
      .filter((e) => e.kind === 'postponed')
      .map((e) => ({ at: e.at, from: e.previousAnnouncedAt, to: e.announcedAt ?? release.announcedAt!, reason: e.reason }));
    const cancelled = events.findLast((e) => e.kind === 'cancelled');
    // Releases scheduled before firstAnnouncedAt was recorded: the first postponement knows it.
    const announcedAt = release.announcedAt ?? release.firstAnnouncedAt!;
    const firstAnnouncedAt = release.firstAnnouncedAt ?? postponements[0]?.from ?? announcedAt;
    const publishedAt = state === 'published' ? announcedAt : null;
    const publicEvents = events.filter((e) => e.kind !== 'created');
    // The last public change; a release with no recorded event falls back on its announced instant.
    let updatedAt = publicEvents.length ? publicEvents.map((e) => e.at).reduce(later) : firstAnnouncedAt;
    if (publishedAt) updatedAt = later(updatedAt, publishedAt);
    const delaySeconds = publishedAt ? Math.round((Date.parse(publishedAt) - Date.parse(firstAnnouncedAt)) / 1000) : 0;
    const entry: CalendarEntry = {
      code: release.code,
      title: release.title,
      note: release.note,
      dataflows: [...release.dataflows],
      state,
      announcedAt,
      firstAnnouncedAt,
      publishedAt,
      revises: release.revisesPk === null ? null : (codeOf.get(release.revisesPk) ?? null),
      postponements,
      cancellation: state === 'cancelled' ? { at: cancelled?.at ?? updatedAt, reason: cancelled?.reason ?? null } : null,
      punctuality: publishedAt ? { announced: firstAnnouncedAt, actual: publishedAt, delaySeconds, onTime: delaySeconds <= 0 } : null,
      updatedAt,
      // Embargo: the reference metadata is public from the release's instant, like its data.
      ...(isVisible(release, at) ? { disclosureControl: this.disclosureControlOf(release) } : {}),
    };
    const listedAt = events.find((e) => e.kind === 'scheduled')?.at ?? firstAnnouncedAt;
    return { entry, listedAt };
  }

  /**
   * Shown only for a release visible now, whose runs are final: disclosure control runs on drafts
   * alone. So they are read once per release, not on every calendar request (a run's stored
   * cells make the read cost tens of milliseconds).
   */
  private disclosureControlOf(release: Release): DisclosureControlNote[] {
    let notes = this.disclosureNotes.get(release.pk);
    if (!notes) {
      notes = this.repositories.protection
        .runsOf(release.pk)
        .map((run) => ({ dataflow: run.dataflow, method: run.method, rules: run.rules, summary: run.summary }))
        .sort((a, b) => a.dataflow.localeCompare(b.dataflow));
      this.disclosureNotes.set(release.pk, notes);
    }
    return notes;
  }
  private readonly disclosureNotes = new Map<number, DisclosureControlNote[]>();
}

function matches(release: Release, state: CalendarState, filter: CalendarFilter): boolean {
  if (filter.states && !filter.states.includes(state)) return false;
  if (filter.dataflows && !release.dataflows.some((df) => filter.dataflows!.some((wanted) => wanted === df || wanted === bareIdOf(df)))) return false;
  const instant = Date.parse(release.announcedAt ?? release.firstAnnouncedAt!);
  if (filter.fromMs !== undefined && instant < filter.fromMs) return false;
  if (filter.toMs !== undefined && instant > filter.toMs) return false;
  return true;
}

/** `UNODC:DF_CTS_HOMICIDE(1.0)` → `DF_CTS_HOMICIDE`. */
function bareIdOf(dataflow: string): string {
  return /^[^:]*:([^(]*)\(/.exec(dataflow)?.[1] ?? dataflow;
}

function secondsUntilNext(releases: readonly Release[], at: string): number | null {
  const now = Date.parse(at);
  let next = Infinity;
  for (const r of releases) {
    if ((r.state !== 'scheduled' && r.state !== 'published') || r.announcedAt === null) continue;
    const t = Date.parse(r.announcedAt);
    if (t > now && t < next) next = t;
  }
  return next === Infinity ? null : Math.floor((next - now) / 1000);
}
