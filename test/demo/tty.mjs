// Preload (node --import) for the demo test: makes standard output claim to be a terminal, so
// that colours are used unless NO_COLOR says otherwise.
Object.defineProperty(process.stdout, 'isTTY', { value: true });
