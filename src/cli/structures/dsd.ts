/**
 * `DSD_CTS`, the one data structure of every UN-CTS table: eight coded key dimensions, an
 * annual TIME_PERIOD, the primary measure OBS_VALUE and four observation-level attributes.
 *
 * Choices: every coded dimension has an explicit local Enumeration (TCK §6.10) and its id
 * equals its concept id; attributes attach to the observation because UN-CTS sources, notes
 * and suppression flags vary year by year within a series.
 */
import type { DataAttribute, DataStructure, Dimension } from '../../sdmx/model.js';
import { AGENCY, DIMENSION_IDS, VERSION, conceptRef } from './common.js';
import { REPRESENTATION } from './concepts.js';

const attribute = (id: string, assignmentStatus: DataAttribute['assignmentStatus']): DataAttribute => ({
  id,
  conceptIdentity: conceptRef(id),
  localRepresentation: REPRESENTATION[id],
  assignmentStatus,
  relationship: { kind: 'Observation' },
});

export function buildDataStructure(): DataStructure {
  const dimensions: Dimension[] = DIMENSION_IDS.map((id, i) => ({
    id,
    position: i + 1,
    conceptIdentity: conceptRef(id),
    localRepresentation: REPRESENTATION[id],
  }));
  return {
    class: 'DataStructure',
    agencyID: AGENCY,
    id: 'DSD_CTS',
    version: VERSION,
    isFinal: true,
    name: { en: 'Crime and criminal-justice statistics (UN-CTS)', es: 'Estadísticas de delincuencia y justicia penal (UN-CTS)' },
    description: {
      en:
        'Data structure of all UN-CTS tables: frequency, reference area, criminal-justice indicator, offence ' +
        '(ICCS), sex, age, further disaggregation and unit of measure, by year; with observation status, ' +
        'confidentiality status, source and comment on each observation.',
    },
    dimensions,
    timeDimension: {
      id: 'TIME_PERIOD',
      position: DIMENSION_IDS.length + 1,
      conceptIdentity: conceptRef('TIME_PERIOD'),
      localRepresentation: REPRESENTATION.TIME_PERIOD,
    },
    attributes: [
      attribute('OBS_STATUS', 'Mandatory'),
      attribute('CONF_STATUS', 'Conditional'),
      attribute('SOURCE_DETAIL', 'Conditional'),
      attribute('COMMENT_OBS', 'Conditional'),
    ],
    primaryMeasure: {
      id: 'OBS_VALUE',
      conceptIdentity: conceptRef('OBS_VALUE'),
      localRepresentation: REPRESENTATION.OBS_VALUE,
    },
  };
}
