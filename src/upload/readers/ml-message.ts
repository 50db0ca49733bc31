/**
 * What tells SDMX-ML data messages apart: the root element's name and namespace URI (never its
 * prefix), and the data set actions they may carry. Shared by the reader and format detection.
 */
import type { UploadAction, UploadFormat } from '../records.js';

const BASE = 'http://www.sdmx.org/resources/sdmxml/schemas/';

export const ML_NS = {
  message21: `${BASE}v2_1/message`,
  generic21: `${BASE}v2_1/data/generic`,
  message30: `${BASE}v3_0/message`,
} as const;

export type MlFormat = Extract<UploadFormat, 'sdmx-ml-2.1-generic' | 'sdmx-ml-2.1-structure-specific' | 'sdmx-ml-3.0'>;

/** The data format a root element stands for, or why it is not a data message we read. */
export function mlRootFormat(local: string, uri: string): { format: MlFormat } | { error: string } {
  if (uri === ML_NS.message21) {
    if (local === 'GenericData' || local === 'GenericTimeSeriesData') return { format: 'sdmx-ml-2.1-generic' };
    if (local === 'StructureSpecificData' || local === 'StructureSpecificTimeSeriesData') {
      return { format: 'sdmx-ml-2.1-structure-specific' };
    }
  }
  if (uri === ML_NS.message30 && local === 'StructureSpecificData') return { format: 'sdmx-ml-3.0' };
  if (uri === ML_NS.message21 || uri === ML_NS.message30) {
    if (local === 'Structure') return { error: 'this is an SDMX structure message, not a data message' };
    if (local === 'Error') return { error: 'this is an SDMX error message, not a data message' };
    return { error: `<${local}> is not an SDMX data message we read (generic or structure-specific data)` };
  }
  return { error: `the root element <${local}>${uri ? ` in namespace ${uri}` : ' without a namespace'} is not an SDMX-ML data message` };
}

const ACTIONS: Readonly<Record<string, UploadAction>> = { Information: 'I', Append: 'A', Replace: 'R', Delete: 'D' };

/** A data set action as SDMX-ML and SDMX-JSON spell it → its SDMX-CSV 2.0 letter; undefined when unknown. */
export function actionLetter(action: string): UploadAction | undefined {
  return Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
}
