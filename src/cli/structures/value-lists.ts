/**
 * SDMX 3.0 ValueLists: closed sets of values of our uncoded components, read from what we
 * publish. `VL_SOURCE_DETAIL`: every SOURCE_DETAIL value of the demo publication, read from the
 * demo inputs (`data/demo/`) through the demo loader's own readers and collectors
 * (src/demo/releases.ts), so a value is listed exactly when the loader publishes it: rows the
 * mapping refuses, empty sources and duplicates never count. Never typed by hand.
 *
 * Each value's English text: the UN-CTS exports give `/`-separated source codes (`CTS/MoI`),
 * each decoded with the labels of the GSH 2019 `source_codes.csv` (matched ignoring case;
 * codes it has no label for stay as written); the GSH values are already decoded labels
 * (src/demo/gsh.ts) and are their own text.
 */
import path from 'node:path';
import type { Text, ValueItem, ValueList } from '../../sdmx/model.js';
import { ReleaseCollector } from '../../demo/collector.js';
import { DEMO_RELEASES } from '../../demo/releases.js';
import { readGshSourceCodes } from '../../demo/gsh.js';
import { LoadLog } from '../../demo/report.js';
import { AGENCY, VERSION } from './common.js';
import { PROJECT_ROOT } from '../../project-root.js';

export const DEMO_DIR = path.join(PROJECT_ROOT, 'data', 'demo');
/** The collectors refuse years after this one: the year of the structures' fixed build instant. */
const LAST_YEAR = 2026;

/** Distinct values of `attribute` in the observations the demo loader would publish, sorted. */
export function demoAttributeValues(demoDir: string, attribute: string): string[] {
  const values = new Set<string>();
  const log = new LoadLog();
  for (const plan of DEMO_RELEASES) {
    const collector = new ReleaseCollector(plan.provider, plan.dataflows, log, LAST_YEAR);
    for (const read of plan.sources) read(demoDir, collector, log);
    for (const s of collector.toSeries()) for (const o of s.observations) {
      const v = o.attributes[attribute];
      if (v !== undefined && v !== '') values.add(v);
    }
  }
  return [...values].sort();
}

/** `CTS/MoI` → the labels of CTS and MOI joined with `; `; text without `/` is returned as is. */
export function sourceText(value: string, labels: ReadonlyMap<string, string>): string {
  if (!value.includes('/') && !labels.has(value.toUpperCase())) return value;
  return value
    .split('/')
    .map((part) => labels.get(part.toUpperCase()) ?? part)
    .join('; ');
}

export function buildSourceDetailValueList(demoDir: string = DEMO_DIR): ValueList {
  const labels = new Map([...readGshSourceCodes(demoDir)].map(([code, label]) => [code.toUpperCase(), label]));
  const items: ValueItem[] = demoAttributeValues(demoDir, 'SOURCE_DETAIL').map((id) => ({ id, name: { en: sourceText(id, labels) } }));
  const description: Text = {
    en:
      'The values the observation attribute SOURCE_DETAIL of DSD_CTS takes in the published demo data: the data ' +
      'sources that UNODC names for its figures, as the demo publishes them (the Source column of the UN-CTS exports, ' +
      '`/`-separated source codes such as CTS/MoI; the decoded sources of the Global Study on Homicide 2019 tables, ' +
      'several joined with "; ", among them Eurostat). The Eurostat tables name no source per value. Generated from ' +
      `the demo inputs through the demo loader's mapping; ${items.length} values. Each value's name spells its ` +
      'source codes out with the labels of the GSH source code table; codes without a label there stay as written.',
    es:
      'Los valores que toma el atributo de observación SOURCE_DETAIL de DSD_CTS en los datos de demostración ' +
      'publicados: las fuentes que UNODC indica para sus cifras (la columna Source de las exportaciones UN-CTS, códigos ' +
      'de fuente separados por `/`, y las fuentes decodificadas de las tablas del Estudio mundial sobre el homicidio 2019). ' +
      `Generados a partir de los datos de demostración con el mismo mapeo que el cargador; ${items.length} valores.`,
  };
  return {
    class: 'ValueList',
    agencyID: AGENCY,
    id: 'VL_SOURCE_DETAIL',
    version: VERSION,
    isFinal: true,
    name: { en: 'Sources of the published figures (SOURCE_DETAIL)', es: 'Fuentes de las cifras publicadas (SOURCE_DETAIL)' },
    description,
    items,
  };
}
