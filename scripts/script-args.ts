/**
 * The few command-line options the scripts share, read without a parser:
 * they run under `npm run`, not as part of the CLI, whose options are checked.
 *
 * @module
 */

/** The value after `name`, or `fallback` when the option is absent. */
export function option(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
}

/** Every `--set path=value` given, as the `path=value` strings. */
export function setArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length - 1; i++) if (args[i] === '--set') out.push(args[i + 1] as string);
  return out;
}
