/**
 * gosumdb/gosum: go.sum files and the Go environment as the go command reads them, and the audit.
 *
 * - {@link parseGoSum}: strict go.sum / go.work.sum reading with file:line errors and findings
 *   (duplicates, conflicts, unknown algorithms, the bogus empty-go.mod hash).
 * - {@link auditGoSum}: every line checked against the checksum database through a verifying
 *   client, with a status, diagnosis and remedy per line and the signed tree behind the answers;
 *   `gosumdb/node`'s `modCacheLocalHash` adds the module cache.
 * - {@link verifyModCache}: `go mod verify` over an injected file system, and the cache checked
 *   against go.sum and the database too (`gosumdb/node` runs it over node:fs).
 * - {@link resolveGoEnv} and {@link diagnoseGoEnv}: the effective GOSUMDB / GOPROXY / GONOSUMDB /
 *   GOPRIVATE... as `go env` computes them, and what in them weakens verification
 *   (`gosumdb/node`'s `readGoEnv` reads the files).
 * - The module path and version rules everything rests on, as golang.org/x/mod/module and semver:
 *   {@link checkPath}, {@link check}, {@link escapePath}, {@link matchPrefixPatterns},
 *   {@link isPseudoVersion}, {@link semver}...
 *
 * @module
 */
export * from '../module/index.js';
export {
  parseGoSum,
  GoSumSyntaxError,
  EMPTY_GOMOD_HASH,
  type GoSum,
  type GoSumLine,
  type GoSumKind,
  type GoSumFinding,
  type GoSumFindingCode,
} from './parse.js';
export {
  resolveGoEnv,
  goEnvNames,
  goEnvFilePath,
  parseGoEnvFile,
  type ResolvedGoEnv,
  type GoEnvInput,
  type GoEnvName,
  type GoEnvSource,
  type GoEnvPlatform,
} from './goenv.js';
export { diagnoseGoEnv, PUBLIC_MODULE_PROBES, type DoctorFinding, type DoctorInput, type DoctorLevel } from './doctor.js';
export { probeSumDBAccess } from './probe.js';
export { parseGoModRequirements, type GoModRequire, type GoModReplace, type GoModRequirements } from './gomod.js';
export {
  auditGoSum,
  AUDIT_STATUSES,
  type AuditClient,
  type AuditEntry,
  type AuditOptions,
  type AuditReport,
  type AuditStatus,
  type AuditSummary,
  type LatestError,
  type LocalHash,
  type SkipReason,
  skipDiagnosis,
} from './audit.js';
export type { GoModFinding } from './requirements.js';
export {
  verifyModCache,
  type ModCacheEntry,
  type ModCacheFS,
  type ModCacheStatus,
  type ModuleVersion,
  type VerifyModCacheOptions,
} from './modcache.js';
export { auditReportJSON, formatAuditText, AUDIT_JSON_VERSION, type AuditJSON, type AuditPaint, type AuditTextOptions } from './report.js';
export {
  compareFiles,
  describeFiles,
  explainModule,
  gatherSource,
  renderExplanation,
  type Comparison,
  type DescribeOptions,
  type ExplainFile,
  type ExplainSource,
  type Explanation,
  type FileChange,
  type GatherOptions,
  type Gatherer,
  type Origin,
  type SourceKind,
  type SourceStatus,
  type Verdict,
} from './explain.js';
