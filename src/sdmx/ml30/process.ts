/**
 * A Process in SDMX-ML 3.0 (SDMXStructureProcess.xsd): nested ProcessSteps, each with its inputs
 * and outputs as `ObjectReference` URNs, an optional Computation, and Transitions whose
 * TargetStep is the (nested) id of another step. Steps are content, so stubs have none.
 */
import type { Process, ProcessStep } from '../model.js';
import { urn30 } from '../urn30.js';
import { localised, maintainableEl, nameableContent } from './nameable.js';
import { el, textEl, type XmlElement } from './xml-text.js';

function stepEl(process: Process, step: ProcessStep, path: string): XmlElement {
  const urn = `urn:sdmx:org.sdmx.infomodel.process.ProcessStep=${process.agencyID}:${process.id}(${process.version}).${path}`;
  return el(
    'structure:ProcessStep',
    { urn, id: step.id },
    nameableContent(step),
    step.inputs.map((a) => el('structure:Input', { localID: a.localID }, textEl('structure:ObjectReference', urn30(a.ref)))),
    step.outputs.map((a) => el('structure:Output', { localID: a.localID }, textEl('structure:ObjectReference', urn30(a.ref)))),
    step.computation &&
      el('structure:Computation', { softwarePackage: step.computation.softwarePackage }, localised('Description', step.computation.description)),
    step.transitions.map((t) =>
      el(
        'structure:Transition',
        { id: t.id },
        textEl('structure:TargetStep', t.targetStep),
        Object.entries(t.condition).map(([lang, value]) => textEl('structure:Condition', value, { 'xml:lang': lang })),
      ),
    ),
    step.steps.map((s) => stepEl(process, s, `${path}.${s.id}`)),
  );
}

export function processEl(p: Process): XmlElement {
  return maintainableEl('structure:Process', p, {
    urn: urn30(p),
    content: () => p.steps.map((s) => stepEl(p, s, s.id)),
  });
}
