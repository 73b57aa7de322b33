/**
 * gosumdb/zip: module zips as golang.org/x/mod/zip builds them, from a file list or a directory
 * tree given as data, so that any source (a directory, a git tree, memory) yields the zip and the
 * `h1:` hash the go command would.
 *
 * - {@link checkFiles} sorts files into valid, omitted (vendored packages, nested modules,
 *   symbolic links, irregular files, `.hg_archival.txt`) and invalid (unclean or bad paths,
 *   case-fold collisions, size limits), with Go's reasons.
 * - {@link createZip} builds the zip, {@link hashFiles} only its hash, {@link moduleContents} the
 *   files it holds.
 * - {@link listFilesInDir}, {@link checkDir} and {@link createFromDir} walk a {@link TreeSource}
 *   as Go's CreateFromDir (VCS directories and nested modules skipped).
 *
 * The zips written store their entries uncompressed: the same names and contents as Go's, hence
 * the same hash, but not the same bytes. Checks of existing zips are in `gosumdb/dirhash`
 * (`checkZip`, `hashModuleZip`).
 *
 * @module
 */
export { checkFiles, isVendoredPackage, type FileKind, type ModuleFile } from './files.js';
export { createZip, hashFiles, moduleContents, type CreateOptions, type ModuleContent } from './create.js';
export { checkDir, createFromDir, listFilesInDir, type DirListing, type TreeEntry, type TreeSource } from './dir.js';
export { checkedFilesError, MAX_GO_MOD, MAX_LICENSE, type CheckedFiles, type FileError } from '../dirhash/checkzip.js';
