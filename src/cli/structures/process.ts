/**
 * The publication pipeline this server runs, as an SDMX Process, `UNODC:PROC_PUBLICATION(1.0)`:
 * upload → validate → protect → schedule → publish → revise (docs/architecture.md,
 * docs/uploads.md, docs/disclosure-control.md). Each step names as inputs and outputs the
 * structures it really reads or writes; SDMX can only reference identifiable artefacts, so
 * releases, uploads and protection runs are described in text.
 *
 * Choices: inputs and outputs are picked from the built artefacts by class (every provision
 * agreement, every Allowed constraint, every additive HCL...), so the process follows the
 * structures as they change. Steps follow in order; transitions are written only where the
 * server leaves the order: a refused upload goes back to upload, a failed audit back to
 * protection, a correction starts again at upload.
 */
import type { Maintainable, MaintainableClass, Process, ProcessArtefact, ProcessStep } from '../../sdmx/model.js';
import { refOf } from '../../sdmx/model.js';
import { ADDITIVITY_ANNOTATION } from '../../sdmx/additivity.js';
import { AGENCY, VERSION, text } from './common.js';

const step = (s: Omit<ProcessStep, 'inputs' | 'outputs' | 'transitions' | 'steps'> & Partial<ProcessStep>): ProcessStep => ({
  inputs: [],
  outputs: [],
  transitions: [],
  steps: [],
  ...s,
});

export function buildPublicationProcess(artefacts: readonly Maintainable[]): Process {
  const of = (cls: MaintainableClass, keep: (a: Maintainable) => boolean = () => true): ProcessArtefact[] =>
    // Our own artefacts only: the republished SDG structures play no part in the pipeline.
    artefacts.filter((a) => a.class === cls && a.agencyID === AGENCY && keep(a)).map((a) => ({ ref: refOf(a) }));
  const one = (cls: MaintainableClass, id: string): ProcessArtefact[] => of(cls, (a) => a.id === id);
  const allowed = of('ContentConstraint', (a) => a.class === 'ContentConstraint' && a.constraintType === 'Allowed');
  const additive = of('HierarchicalCodelist', (a) =>
    a.class === 'HierarchicalCodelist' && a.hierarchies.some((h) => h.annotations?.some((n) => n.type === ADDITIVITY_ANNOTATION)),
  );
  const steps: ProcessStep[] = [
    step({
      id: 'UPLOAD',
      name: text('Upload', 'Carga'),
      description: {
        en:
          'A producer with a token granted the dataflow sends a file (SDMX-ML, SDMX-JSON, SDMX-CSV or plain CSV with ' +
          'national offence codes and a correspondence table) into a draft release; the provision agreement says which ' +
          'provider supplies which dataflow. Nothing sent is public.',
      },
      inputs: of('ProvisionAgreement'),
    }),
    step({
      id: 'VALIDATE',
      name: text('Validate', 'Validación'),
      description: {
        en:
          'Every record is checked while the file streams in: codes against the DSD codelists, keys against the Allowed ' +
          'constraints of the agreement, dataflow and DSD, periods, values, mandatory attributes, duplicates, microdata. ' +
          'Only a file without problems is written to the draft, in one transaction.',
      },
      inputs: [...one('DataStructure', 'DSD_CTS'), ...allowed],
      computation: {
        description: { en: 'The rules of docs/uploads.md, applied record by record in a scratch database; the first 200 problems are reported.' },
      },
      transitions: [
        {
          id: 'REFUSED',
          targetStep: 'UPLOAD',
          condition: { en: 'The file has problems: it is refused with the list of problems, nothing is stored, and the producer sends a corrected file.' },
        },
      ],
    }),
    step({
      id: 'PROTECT',
      name: text('Protect (disclosure control)', 'Protección (control de divulgación)'),
      description: {
        en:
          'The draft is protected per dataflow: small counts are suppressed (threshold rule), complementary cells are ' +
          'chosen by hierarchical hypercubes over the additive hierarchies, and an independent audit proves that no ' +
          'protected cell can be worked out. Suppressed observations lose their value and carry CONF_STATUS and OBS_STATUS.',
      },
      inputs: additive,
      outputs: [...one('Codelist', 'CL_CONF_STATUS'), ...one('Codelist', 'CL_OBS_STATUS')],
      computation: {
        description: {
          en: 'Threshold rule, hierarchical hypercube complementary suppression, and an audit of attacker intervals by linear programming.',
        },
        softwarePackage: 'HiGHS',
      },
      transitions: [
        {
          id: 'AUDIT_FAILED',
          targetStep: 'PROTECT',
          condition: { en: 'The audit fails: the release cannot be scheduled until protection runs again and passes.' },
        },
      ],
    }),
    step({
      id: 'SCHEDULE',
      name: text('Schedule (release calendar)', 'Programación (calendario de difusión)'),
      description: {
        en:
          'A publisher schedules the draft for an announced instant on the public release calendar; this is refused unless ' +
          'every dataflow of the release has a passing, current protection run. Until its instant the release may be ' +
          'postponed or cancelled.',
      },
    }),
    step({
      id: 'PUBLISH',
      name: text('Publish', 'Publicación'),
      description: {
        en:
          'At the announced instant the release becomes visible on every public surface at once (SDMX data and ' +
          'availability, the JSON data API, the calendar feeds); before it, nothing of it is served.',
      },
      outputs: of('Dataflow'),
    }),
    step({
      id: 'REVISE',
      name: text('Revise', 'Revisión'),
      description: {
        en:
          'A correction is a new release that revises a published one: its rows outrank the old ones, which stay readable ' +
          'as earlier vintages (includeHistory, asOf). It goes through the same steps.',
      },
      inputs: of('Dataflow'),
      transitions: [
        { id: 'CORRECTION', targetStep: 'UPLOAD', condition: { en: 'A published figure must be corrected: a correction release is created and filled by upload.' } },
      ],
    }),
  ];
  return {
    class: 'Process',
    agencyID: AGENCY,
    id: 'PROC_PUBLICATION',
    version: VERSION,
    isFinal: true,
    name: text('Publication of crime and criminal-justice statistics', 'Publicación de estadísticas de delincuencia y justicia penal'),
    description: {
      en: 'How data reach the public on this service: upload, validation, disclosure control, release calendar, publication and revision.',
    },
    steps,
  };
}
