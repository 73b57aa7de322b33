/**
 * gosumdb/gosum: go.sum files and the Go environment as the go command reads them — parsing,
 * auditing against the checksum database, `go env` resolution and configuration diagnostics —
 * plus the module path and version rules they rest on (golang.org/x/mod/module and semver).
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
  goEnvFilePath,
  parseGoEnvFile,
  type ResolvedGoEnv,
  type GoEnvInput,
  type GoEnvName,
  type GoEnvSource,
  type GoEnvPlatform,
} from './goenv.js';
export { diagnoseGoEnv, PUBLIC_MODULE_PROBES, type DoctorFinding, type DoctorInput, type DoctorLevel } from './doctor.js';
export { parseGoModRequirements, type GoModRequire, type GoModReplace, type GoModRequirements } from './gomod.js';
export {
  auditGoSum,
  type AuditClient,
  type AuditEntry,
  type AuditOptions,
  type AuditReport,
  type AuditStatus,
  type AuditSummary,
  type GoModFinding,
  type LocalHash,
  type SkipReason,
} from './audit.js';
