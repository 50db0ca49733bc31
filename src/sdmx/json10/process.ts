/**
 * Process steps and data key sets in SDMX-JSON, shared by 1.0 and 2.0.0 (ProcessStepType,
 * InputOutputType, TransitionType, ComputationType and DataKeySetType have the same members in
 * both schemas). References are URNs made by the caller's version (`urn`). A transition's
 * `targetStep` is the step's URN in 1.0 (a uri there) and its nested id in 2.0.0 (NestedIDType).
 * Empty arrays are left out: the 2.0.0 schema wants at least one item in each.
 */
import type { DataKeySet, MaintainableRef, Process, ProcessArtefact, ProcessStep } from '../model.js';
import { annotations, clean, type Localiser } from './common.js';

type Json = Record<string, unknown>;

function io(list: readonly ProcessArtefact[], urn: (r: MaintainableRef) => string): Json[] | undefined {
  return list.length > 0 ? list.map((a) => clean({ localID: a.localID, objectReference: urn(a.ref) })) : undefined;
}

function step(loc: Localiser, s: ProcessStep, urn: (r: MaintainableRef) => string, target: (id: string) => string): Json {
  const computation = s.computation
    ? (() => {
        const d = loc.pair(s.computation.description);
        return clean({ softwarePackage: s.computation.softwarePackage, description: d.one, descriptions: d.all });
      })()
    : undefined;
  return clean({
    id: s.id,
    ...loc.nameable(s),
    annotations: annotations(loc, s.annotations),
    inputs: io(s.inputs, urn),
    outputs: io(s.outputs, urn),
    computation,
    transitions:
      s.transitions.length > 0
        ? s.transitions.map((t) => {
            const c = loc.pair(t.condition);
            return clean({ id: t.id, targetStep: target(t.targetStep), condition: c.one, conditions: c.all });
          })
        : undefined,
    processSteps: s.steps.length > 0 ? s.steps.map((c) => step(loc, c, urn, target)) : undefined,
  });
}

/** `processSteps` of a process (none when it has none); `stepUrns` for SDMX-JSON 1.0. */
export function processContent(loc: Localiser, p: Process, urn: (r: MaintainableRef) => string, stepUrns = false): Json {
  const target = (id: string) =>
    stepUrns ? `urn:sdmx:org.sdmx.infomodel.process.ProcessStep=${p.agencyID}:${p.id}(${p.version}).${id}` : id;
  return p.steps.length > 0 ? { processSteps: p.steps.map((s) => step(loc, s, urn, target)) } : {};
}

/** `dataKeySets` of an attachment constraint. */
export function dataKeySets(sets: readonly DataKeySet[]): Json[] {
  return sets.map((set) => ({
    isIncluded: set.isIncluded,
    keys: set.keys.map((k) => ({ keyValues: k.keyValues.map((kv) => ({ id: kv.id, value: kv.value })) })),
  }));
}
