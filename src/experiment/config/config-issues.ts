/**
 * A problem of an experiment document at its key path, and the error that
 * carries a list of them. The checks of the shape, the resolution and the
 * size limits produce these; `load-config.ts` maps each path to file, line
 * and column.
 *
 * @module
 */

import { formatPath } from './config-error.js';

/** A key path in an experiment document, e.g. `['agents', 2, 'params', 'maxQty']`. */
export type KeyPath = (string | number)[];

/** One problem of an experiment document, at a key path. */
export interface ConfigIssue {
  readonly path: KeyPath;
  readonly message: string;
  /** True when the problem is the key itself (unknown, forbidden), not its value. */
  readonly atKey?: boolean;
}

/** Problems found in an experiment; `load-config.ts` adds file locations. */
export class ConfigIssues extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('\n'));
    this.name = 'ConfigIssues';
  }
}
/** How a check reports a problem: at a key path, about the key itself (`atKey`) or its value. */
export type AddIssue = (path: KeyPath, message: string, atKey?: boolean) => void;
