/**
 * Takes a producer's file from request body to staged data: resolves the dataflow, provider,
 * draft release and correspondence table; streams the file through its reader, the national
 * code mapping and the DSD checks into a scratch staging area; and, only when nothing is wrong,
 * stores it whole in one transaction. Never touches the main database before that moment.
 */
import { randomBytes } from 'node:crypto';
import { allowedConstraintsOn } from '../../sdmx/allowed-content.js';
import type { Dataflow, DataStructure, ProvisionAgreement } from '../../sdmx/model.js';
import type { Clock } from '../../clock.js';
import type { Principal } from '../../auth/principal.js';
import { mayUploadTo } from '../../auth/dataflow-grants.js';
import { ServiceError, type ErrorKind } from '../../errors.js';
import { ReleaseStateError, StorageConflictError, type Release, type Repositories, type StoredUpload } from '../../storage/repositories.js';
import { ByteSource, UploadTooLargeError } from '../../upload/byte-source.js';
import { detectUploadFormat } from '../../upload/detect-format.js';
import { mapNationalCode, type NationalCodeMapping, type NationalMapping } from '../../upload/national-codes.js';
import { readUpload } from '../../upload/readers/index.js';
import { UploadFormatError, type UploadFormat } from '../../upload/records.js';
import { StagingArea, type StagedObservation } from '../../upload/staging.js';
import { DsdChecker } from '../../upload/validation/dsd-checker.js';
import { ProblemLog } from '../../upload/validation/problems.js';
import { codelistOf } from '../data/data-service.js';
import { flowKeyOf } from '../data/target.js';
import type { StructureService } from '../structure-service.js';

export interface UploadRequest {
  readonly body: AsyncIterable<Buffer | Uint8Array | string>;
  readonly contentType?: string;
  /** `AGENCY:ID(VERSION)` */
  readonly dataflow?: string;
  /** Code of an existing draft release; a new draft is created when absent. */
  readonly release?: string;
  /** `AGENCY:ID` of the data provider; needed only when several supply the dataflow. */
  readonly provider?: string;
  /** `AGENCY:ID(VERSION)` of a correspondence table, for files with national offence codes. */
  readonly mapping?: string;
  /** The column with national codes (default NATIONAL_OFFENCE). */
  readonly nationalColumn?: string;
  readonly principal: Principal;
}

/** A request refused before or without reading the data: an `upload-refused` ServiceError whose kind says why. */
export interface UploadRefusal {
  readonly kind: 'refused';
  readonly error: ServiceError;
}

/**
 * A file read and found wrong: `unreadable-upload` (not readable as its format) or
 * `invalid-upload` (does not conform to the DSD), with the problems as extensions (`format`,
 * `totalErrors`, `errorsByRule`, `truncated`, `errors`); the log itself too, for the audit.
 */
export interface UploadRejection {
  readonly kind: 'invalid';
  readonly error: ServiceError;
  readonly format?: UploadFormat;
  readonly problems: ProblemLog;
  readonly bytes: number;
}

export type UploadOutcome =
  | { readonly kind: 'stored'; readonly upload: StoredUpload }
  | { readonly kind: 'already-stored'; readonly upload: StoredUpload }
  | UploadRejection
  | UploadRefusal;

/** The kinds an upload is refused with: invalid input, forbidden, not found, conflict, too large, unsupported media type. */
export type RefusalKind = Extract<ErrorKind, 'invalid-input' | 'forbidden' | 'not-found' | 'conflict' | 'too-large' | 'unsupported-media-type'>;

/** An upload refused before its data was read (also for the route, e.g. a body that is not the gzip it claims to be). */
export function uploadRefused(kind: RefusalKind, message: string): UploadRefusal {
  return { kind: 'refused', error: new ServiceError(kind, message, { code: 'upload-refused' }) };
}

function rejected(unreadable: boolean, format: UploadFormat | undefined, problems: ProblemLog, records: number, bytes: number): UploadRejection {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const error = new ServiceError(
    unreadable ? 'invalid-input' : 'unprocessable',
    `${plural(problems.total, 'problem')} found in ${plural(records, 'record')}; nothing was stored`,
    {
      code: unreadable ? 'unreadable-upload' : 'invalid-upload',
      extensions: {
        format,
        totalErrors: problems.total,
        errorsByRule: problems.byRule(),
        truncated: problems.total > problems.problems.length,
        errors: problems.problems,
      },
    },
  );
  return { kind: 'invalid', error, format, problems, bytes };
}

/** Where correspondence tables come from (the correspondence service). */
export interface CorrespondenceLookups {
  lookup(agencyId: string, id: string, version?: string): ((nationalCode: string) => NationalCodeMapping) | undefined;
}

export interface UploadServiceOptions {
  readonly maxBytes: number;
  /** Problems listed in full before the rest are only counted. */
  readonly problemCap?: number;
  /** Where staging files go (default: the OS temporary folder). */
  readonly tmpDir?: string;
}

const REFERENCE = /^([A-Za-z0-9_@$-]+(?:\.[A-Za-z0-9_@$-]+)*):([A-Za-z0-9_@$-]+)\(([A-Za-z0-9_.+-]+)\)$/;
const PROVIDER = /^([A-Za-z0-9_@$-]+(?:\.[A-Za-z0-9_@$-]+)*):([A-Za-z0-9_@$-]+)$/;
const DEFAULT_NATIONAL_COLUMN = 'NATIONAL_OFFENCE';
/** The DSD dimension national offence codes become. */
const OFFENCE_DIMENSION = 'OFFENCE';


interface ResolvedTarget {
  readonly dataflow: Dataflow;
  readonly flowKey: string;
  readonly dsd: DataStructure;
  readonly agreement: ProvisionAgreement;
  readonly provider: string;
  readonly release: Release | undefined;
  readonly mapping: NationalMapping | undefined;
}

export class UploadService {
  constructor(
    private readonly repositories: Repositories,
    private readonly structures: StructureService,
    private readonly clock: Clock,
    private readonly correspondence: CorrespondenceLookups | undefined,
    private readonly options: UploadServiceOptions,
  ) {}

  /** Who may see an upload's summary: its uploader and publishers. */
  get(uploadId: string, principal: Principal): StoredUpload | undefined {
    const upload = this.repositories.uploads.byId(uploadId);
    if (!upload) return undefined;
    return principal.role === 'publisher' || upload.uploadedBy === principal.tokenId ? upload : undefined;
  }

  async upload(request: UploadRequest): Promise<UploadOutcome> {
    const source = new ByteSource(request.body, this.options.maxBytes);
    try {
      const target = this.resolve(request);
      if ('kind' in target) {
        await source.drain();
        return target;
      }
      const detected = detectUploadFormat(request.contentType, await source.head());
      if ('error' in detected) {
        await source.drain();
        return uploadRefused('unsupported-media-type', detected.error);
      }
      if (detected.format === 'csv-national' && !target.mapping) {
        await source.drain();
        return uploadRefused(
          'invalid-input',
          'The file is a plain CSV: name the correspondence table that maps its national offence codes to ICCS with ?mapping=AGENCY:ID(VERSION), or send SDMX-CSV',
        );
      }
      return await this.readAndStore(request, target, detected.format, source);
    } catch (err) {
      if (err instanceof UploadTooLargeError) return uploadRefused('too-large', `${err.message}; split the file or ask the administrator to raise UPLOAD_MAX_MB`);
      throw err;
    }
  }

  private resolve(request: UploadRequest): ResolvedTarget | UploadRefusal {
    if (!request.dataflow) return uploadRefused('invalid-input', 'Name the dataflow the file belongs to: ?dataflow=AGENCY:ID(VERSION), e.g. UNODC:DF_CTS_HOMICIDE(1.0)');
    const m = REFERENCE.exec(request.dataflow);
    if (!m) return uploadRefused('invalid-input', `"${request.dataflow}" is not AGENCY:ID(VERSION), e.g. UNODC:DF_CTS_HOMICIDE(1.0)`);
    const registry = this.structures.registry;
    const dataflow = registry.get({ class: 'Dataflow', agencyID: m[1]!, id: m[2]!, version: m[3]! });
    if (dataflow?.class !== 'Dataflow') return uploadRefused('not-found', `There is no dataflow ${request.dataflow}`);
    const flowKey = flowKeyOf(dataflow);
    if (!mayUploadTo(request.principal, flowKey)) {
      return uploadRefused('forbidden', `Token ${request.principal.tokenId} may not upload to ${flowKey}`);
    }
    const dsd = registry.get(dataflow.structure);
    if (dsd?.class !== 'DataStructure') throw new Error(`Dataflow ${flowKey} has no data structure`);

    const agreements = (registry.ofClass('ProvisionAgreement') as ProvisionAgreement[]).filter(
      (pa) => pa.structureUsage.agencyID === dataflow.agencyID && pa.structureUsage.id === dataflow.id && pa.structureUsage.version === dataflow.version,
    );
    const providerOf = (pa: ProvisionAgreement) => `${pa.dataProvider.scheme.agencyID}:${pa.dataProvider.id}`;
    let agreement: ProvisionAgreement | undefined;
    if (request.provider !== undefined) {
      if (!PROVIDER.test(request.provider)) return uploadRefused('invalid-input', `"${request.provider}" is not AGENCY:ID, e.g. UNODC:UNODC`);
      agreement = agreements.find((pa) => providerOf(pa) === request.provider);
      if (!agreement) return uploadRefused('conflict', `Provider ${request.provider} has no provision agreement for ${flowKey}; providers: ${agreements.map(providerOf).join(', ') || 'none'}`);
    } else if (agreements.length === 1) {
      agreement = agreements[0];
    } else {
      return uploadRefused('invalid-input', `${flowKey} is supplied by ${agreements.length ? agreements.map(providerOf).join(', ') : 'no provider'}: name one with ?provider=AGENCY:ID`);
    }

    let release: Release | undefined;
    if (request.release !== undefined) {
      release = this.repositories.releases.byCode(request.release);
      if (!release) return uploadRefused('not-found', `There is no release ${request.release}`);
      if (release.state !== 'draft') return uploadRefused('conflict', `Release ${release.code} is ${release.state}; data can only be added to a draft release`);
      if (!release.dataflows.includes(flowKey)) return uploadRefused('conflict', `Release ${release.code} covers ${release.dataflows.join(', ')}, not ${flowKey}`);
    }

    let mapping: NationalMapping | undefined;
    if (request.mapping !== undefined) {
      const t = REFERENCE.exec(request.mapping);
      if (!t) return uploadRefused('invalid-input', `"${request.mapping}" is not AGENCY:ID(VERSION)`);
      const map = this.correspondence?.lookup(t[1]!, t[2]!, t[3]!);
      if (!map) return uploadRefused('not-found', `There is no correspondence table ${request.mapping}`);
      if (!dsd.dimensions.some((d) => d.id === OFFENCE_DIMENSION)) return uploadRefused('conflict', `${flowKey} has no ${OFFENCE_DIMENSION} dimension for national codes to map onto`);
      mapping = { table: request.mapping, column: request.nationalColumn ?? DEFAULT_NATIONAL_COLUMN, target: OFFENCE_DIMENSION, map };
    }
    return { dataflow, flowKey, dsd, agreement: agreement!, provider: providerOf(agreement!), release, mapping };
  }

  private async readAndStore(request: UploadRequest, target: ResolvedTarget, format: UploadFormat, source: ByteSource): Promise<UploadOutcome> {
    const problems = new ProblemLog(this.options.problemCap ?? 200);
    const checker = new DsdChecker({
      flowKey: target.flowKey,
      dsdKey: `${target.dsd.agencyID}:${target.dsd.id}(${target.dsd.version})`,
      dsd: target.dsd,
      codelistOf: (id) => codelistOf(this.structures, target.dsd, id),
      constraints: allowedConstraintsOn(this.structures.registry, [target.agreement, target.dataflow, target.dsd]),
    });
    const mapping = format === 'csv-national' ? target.mapping : undefined;
    const staging = new StagingArea(this.options.tmpDir);
    let records = 0;
    try {
      try {
        for await (const batch of readUpload(source.chunks(), format)) {
          const staged: StagedObservation[] = [];
          for (const record of batch) {
            records += 1;
            const mapped = mapping ? mapNationalCode(record, mapping, problems) : { record, source: '' };
            if (!mapped) continue;
            const observation = checker.check(mapped.record, problems);
            if (observation) staged.push({ observation, source: mapped.source });
          }
          staging.add(staged, problems);
        }
      } catch (err) {
        if (!(err instanceof UploadFormatError)) throw err;
        problems.add({ at: err.at, rule: 'unreadable', message: err.message });
        await source.drain();
        return rejected(true, format, problems, records, source.bytes);
      }
      checker.finish(problems);
      if (mapping) staging.checkAggregates(problems);
      if (records === 0) problems.add({ at: 'file', rule: 'empty-upload', message: 'The file holds no observations' });
      if (problems.total > 0) return rejected(false, format, problems, records, source.bytes);

      const sha256 = source.digest();
      const earlier = this.repositories.uploads.findDraftByContent(target.flowKey, sha256, target.release?.pk);
      if (earlier) return { kind: 'already-stored', upload: earlier };
      return this.store(request, target, format, staging, sha256, source.bytes);
    } finally {
      staging.close();
    }
  }

  private store(request: UploadRequest, target: ResolvedTarget, format: UploadFormat, staging: StagingArea, sha256: string, bytes: number): UploadOutcome {
    const uploadId = `upl_${randomBytes(6).toString('hex')}`;
    const now = this.clock.now().toISOString();
    const release = target.release
      ? { pk: target.release.pk }
      : {
          create: {
            code: `UPL-${uploadId.slice(4).toUpperCase()}`,
            title: `${target.dataflow.name['en'] ?? target.dataflow.id}: upload by ${request.principal.name}`,
            dataflows: [target.flowKey],
            note: `Created for upload ${uploadId}`,
          },
        };
    try {
      const upload = this.repositories.uploads.store(
        release,
        {
          uploadId,
          dataflow: target.flowKey,
          provider: target.provider,
          format,
          sha256,
          bytes,
          ...(target.mapping && format === 'csv-national' ? { mapping: target.mapping.table } : {}),
          uploadedBy: request.principal.tokenId,
          uploadedAt: now,
        },
        staging.seriesToWrite(target.flowKey, target.provider),
      );
      return { kind: 'stored', upload };
    } catch (err) {
      // The draft moved on meanwhile, or a series belongs to another provider.
      if (err instanceof ReleaseStateError || err instanceof StorageConflictError) return uploadRefused('conflict', err.message);
      if (isPrimaryKeyConflict(err)) {
        return uploadRefused('conflict', `Release ${target.release?.code ?? ''} already holds some of these observations from another upload; upload into a new draft release, or correct the earlier upload`);
      }
      throw err;
    }
  }
}

function isPrimaryKeyConflict(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
