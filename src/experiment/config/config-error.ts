/**
 * A configuration problem at a key path (e.g. `agents[2].params.maxQty`).
 * The YAML loader maps the path to file, line and column.
 */
export class ConfigError extends Error {
  constructor(
    readonly path: (string | number)[],
    readonly problem: string,
  ) {
    super(`${formatPath(path)}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** `['agents', 2, 'params', 'maxQty']` → `agents[2].params.maxQty`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(root)' : out;
}
