/** buildCli bundles src/cli/main.ts into `outdir` (default dist/cli/bundle, emptied first) and returns its entry, gosumdb.js. */
export function buildCli(outdir?: string): Promise<string>;
