/**
 * The sentences of the computed quality concepts, in English and Spanish, written from the
 * numbers of the quality service (docs/quality-indicators.md): each says what the figure is and
 * what it is counted over (releases, cells), so a reader needs no formula. A concept whose
 * figures are null (nothing to measure) gets no sentence at all: the caller leaves it out,
 * rather than print a made-up 0. Numbers: one decimal, grouped as each language groups them;
 * dates as ISO days (unambiguous in both languages).
 */
import type { Text } from '../../sdmx/model.js';
import type { CompletenessIndicator, PunctualityIndicator, RevisionIndicator, TimelinessIndicator } from '../quality/index.js';

/** One decimal; below 1, two significant digits, so that a small share never reads as 0. */
const formats = (locale: string) => ({ plain: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }), small: new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 }) });
const EN = formats('en');
const ES = formats('es');
const en = (n: number) => (n !== 0 && Math.abs(n) < 1 ? EN.small : EN.plain).format(n);
const es = (n: number) => (n !== 0 && Math.abs(n) < 1 ? ES.small : ES.plain).format(n);
const day = (instant: string) => instant.slice(0, 10);
/** English plural of a regular noun. */
const nounEn = (n: number, singular: string, plural = `${singular}s`) => `${en(n)} ${n === 1 ? singular : plural}`;
const nounEs = (n: number, singular: string, plural: string) => `${es(n)} ${n === 1 ? singular : plural}`;
const sentence = (parts: readonly string[]) => parts.filter((p) => p !== '').join(' ');

export function punctualitySentence(p: PunctualityIndicator, at: string): Text | undefined {
  if (p.onTimeShare === null) return undefined;
  const mean = p.meanDelay?.value ?? null;
  const max = p.maxDelay?.value ?? null;
  const delaysEn = max === null ? '' : max === 0 ? 'No published release was late.' : `The published releases were ${en(mean!)} days late on average (at most ${en(max)} days), counted from the instant first announced.`;
  const delaysEs =
    max === null ? '' : max === 0 ? 'Ninguna difusión publicada se retrasó.' : `Las difusiones publicadas se retrasaron en promedio ${es(mean!)} días (${es(max)} días como máximo), contados desde el momento anunciado inicialmente.`;
  const othersEn = [
    p.late ? `${en(p.late)} published late after a postponement` : '',
    p.overdue ? `${en(p.overdue)} postponed and not public yet` : '',
    p.cancelled ? `${en(p.cancelled)} cancelled` : '',
  ].filter((s) => s !== '');
  const othersEs = [
    p.late ? `${nounEs(p.late, 'publicada', 'publicadas')} con retraso tras un aplazamiento` : '',
    p.overdue ? `${nounEs(p.overdue, 'aplazada', 'aplazadas')} y aún no ${p.overdue === 1 ? 'pública' : 'públicas'}` : '',
    p.cancelled ? nounEs(p.cancelled, 'cancelada', 'canceladas') : '',
  ].filter((s) => s !== '');
  return {
    en: sentence([
      `${en(p.onTime)} of ${nounEn(p.due, 'release')} due by ${day(at)} became public no later than the instant first announced in the release calendar (${en(p.onTimeShare.value)} % on time).`,
      delaysEn,
      othersEn.length ? `Of the others, ${othersEn.join(', ')}.` : '',
    ]),
    es: sentence([
      `${es(p.onTime)} de ${nounEs(p.due, 'difusión prevista', 'difusiones previstas')} hasta el ${day(at)} ${p.onTime === 1 ? 'se hizo pública' : 'se hicieron públicas'} no más tarde del momento anunciado inicialmente en el calendario de difusión (${es(p.onTimeShare.value)} % puntuales).`,
      delaysEs,
      othersEs.length ? `De las demás, ${othersEs.join(', ')}.` : '',
    ]),
  };
}

export function timelinessSentence(t: TimelinessIndicator): Text | undefined {
  const first = t.firstResults;
  if (first.meanLag === null) return undefined;
  const mean = first.meanLag.value;
  // Whole days: a lag of 523.4 days reads as noise.
  const whenEn = (d: number) => (d < 0 ? `${en(Math.round(-d))} days before` : `${en(Math.round(d))} days after`);
  const whenEs = (d: number) => (d < 0 ? `${es(Math.round(-d))} días antes del` : `${es(Math.round(d))} días después del`);
  // A figure may refer to a day inside its period (a prison count on a given day): released before the period ends.
  const early = (first.minLag?.value ?? mean) < 0;
  const range = first.releases > 1 && first.minLag && first.maxLag;
  const later = t.releases.length - first.releases;
  return {
    en: sentence([
      first.releases === 1
        ? `The one release giving first results for a reference period made its figures public ${whenEn(mean)} the end of the latest period they cover.`
        : `Over the ${en(first.releases)} releases giving first results for a reference period, the figures became public ${whenEn(mean)} the end of the latest period they cover, on average${range ? ` (from ${en(Math.round(first.minLag!.value))} to ${en(Math.round(first.maxLag!.value))} days)` : ''}.`,
      later > 0 ? `${later === 1 ? 'One later release' : `${en(later)} later releases`} revised or completed periods already published and ${later === 1 ? 'is' : 'are'} not counted.` : '',
      early ? 'A release before the end of a period is possible when figures refer to a day within it, such as a count of prisoners on a given date.' : '',
    ]),
    es: sentence([
      first.releases === 1
        ? `La única difusión que dio los primeros resultados de un período de referencia hizo públicas sus cifras ${whenEs(mean)} fin del último período que cubren.`
        : `En las ${es(first.releases)} difusiones que dieron los primeros resultados de un período de referencia, las cifras se hicieron públicas en promedio ${whenEs(mean)} fin del último período que cubren${range ? ` (entre ${es(Math.round(first.minLag!.value))} y ${es(Math.round(first.maxLag!.value))} días)` : ''}.`,
      later > 0 ? `${later === 1 ? 'Una difusión posterior revisó o completó' : `${es(later)} difusiones posteriores revisaron o completaron`} períodos ya publicados y no se ${later === 1 ? 'cuenta' : 'cuentan'}.` : '',
      early ? 'Una difusión anterior al fin de un período es posible cuando las cifras se refieren a un día dentro de él, como el número de personas presas en una fecha dada.' : '',
    ]),
  };
}

/** `hasData`: some visible release published cells in the scope (otherwise there is nothing to say). */
export function revisionSentence(r: RevisionIndicator, hasData: boolean, unitNames?: ReadonlyMap<string, Text>): Text | undefined {
  if (!hasData) return undefined;
  if (r.republished === 0) {
    return {
      en: 'No figure has been published again by a later release: every cell has a single public vintage, so there is no revision to measure.',
      es: 'Ninguna cifra se ha vuelto a publicar en una difusión posterior: cada celda tiene una sola versión pública, así que no hay revisiones que medir.',
    };
  }
  const units = r.byUnit.filter((u) => u.meanAbsoluteRevision !== null);
  const nameOf = (unit: string, lang: 'en' | 'es') => unitNames?.get(unit)?.[lang] ?? unitNames?.get(unit)?.en;
  const unitEn = units.map((u) => `${en(u.meanAbsoluteRevision!.value)} ${nameOf(u.unit, 'en') ? `(${nameOf(u.unit, 'en')})` : `in unit ${u.unit}`}${u.relativeMeanAbsoluteRevision ? ` (${en(u.relativeMeanAbsoluteRevision.value)} % of the current figures)` : ''}`);
  const unitEs = units.map((u) => `${es(u.meanAbsoluteRevision!.value)} ${nameOf(u.unit, 'es') ? `(${nameOf(u.unit, 'es')})` : `en la unidad ${u.unit}`}${u.relativeMeanAbsoluteRevision ? ` (${es(u.relativeMeanAbsoluteRevision.value)} % de las cifras actuales)` : ''}`);
  const share = r.compared > 0 ? (100 * r.revised) / r.compared : null;
  return {
    en: sentence([
      `${nounEn(r.republished, 'cell was', 'cells were')} published again by a later release;`,
      share === null
        ? 'none with a value in both its first and its current vintage, so no revision can be measured.'
        : `of the ${en(r.compared)} with a value in both the first and the current vintage, ${en(r.revised)} changed (${en(share)} %).`,
      unitEn.length ? `Mean absolute revision, first to current: ${unitEn.join('; ')}.` : '',
      r.notComparable ? `${nounEn(r.notComparable, 'cell', 'cells')} could not be compared (a value withheld, missing or withdrawn).` : '',
    ]),
    es: sentence([
      `${nounEs(r.republished, 'celda se publicó', 'celdas se publicaron')} de nuevo en una difusión posterior;`,
      share === null
        ? 'ninguna con valor en su primera versión y en la actual, así que no puede medirse ninguna revisión.'
        : `de las ${es(r.compared)} con valor en la primera versión y en la actual, ${es(r.revised)} ${r.revised === 1 ? 'cambió' : 'cambiaron'} (${es(share)} %).`,
      unitEs.length ? `Revisión absoluta media, de la primera a la actual: ${unitEs.join('; ')}.` : '',
      r.notComparable ? `${nounEs(r.notComparable, 'celda no pudo compararse', 'celdas no pudieron compararse')} (un valor oculto, ausente o retirado).` : '',
    ]),
  };
}

export function completenessSentence(c: CompletenessIndicator, area: string | null): Text | undefined {
  if (c.share === null || c.years === null || c.allowedCells === null) return undefined;
  const years = c.years.first === c.years.last ? c.years.first : `${c.years.first}–${c.years.last}`;
  const readable =
    c.cellsWithheld === 0
      ? { en: 'all of them can be read', es: 'todas pueden leerse' }
      : {
          en: `${en(c.cellsWithValue)} of them can be read (${en(c.valueShare?.value ?? 0)} % of the allowed cells), the others are withheld for confidentiality`,
          es: `${es(c.cellsWithValue)} pueden leerse (${es(c.valueShare?.value ?? 0)} % de las celdas permitidas), las demás están ocultas por confidencialidad`,
        };
  return {
    // The series fill first: the share of the whole allowed cube counts every combination the
    // structures permit (all ages, all breakdowns), most of which no source reports.
    en: sentence([
      c.seriesFill ? `The ${nounEn(c.seriesWithData, 'series', 'series')} with data${area ? ` for ${area}` : ''} ${c.seriesWithData === 1 ? 'has' : 'have'} a value in ${en(c.seriesFill.value)} % of the years ${years}.` : '',
      `Of all ${en(c.allowedCells)} combinations the structures allow in those years, ${en(c.cellsWithData)} hold data (${en(c.share.value)} %); ${readable.en}.`,
    ]),
    es: sentence([
      c.seriesFill ? `${c.seriesWithData === 1 ? 'La serie con datos' : `Las ${es(c.seriesWithData)} series con datos`}${area ? ` para ${area}` : ''} ${c.seriesWithData === 1 ? 'tiene' : 'tienen'} valor en el ${es(c.seriesFill.value)} % de los años ${years}.` : '',
      `De las ${es(c.allowedCells)} combinaciones que las estructuras permiten en esos años, ${es(c.cellsWithData)} contienen datos (${es(c.share.value)} %); ${readable.es}.`,
    ]),
  };
}
