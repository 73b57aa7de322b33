/** VERSION is the gosumdb package version, printed by `gosumdb --version` and sent as the HTTP User-Agent. */
export const VERSION = '0.1.0';
