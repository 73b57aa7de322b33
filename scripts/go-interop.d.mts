/** buildGoInterop builds every test/interop/go/<name> program and returns the directory holding them. */
export function buildGoInterop(): string;
