/**
 * YAML aliases (`*name`) checked before a document becomes data: an alias to
 * no anchor, and aliases that multiply the document ("billion laughs": each
 * level aliases the one before several times, so a few lines expand to
 * billions of values). Both are the user's file at fault, so they get a
 * location and a sentence instead of the YAML library's exception.
 *
 * @module
 */

import { isAlias, isMap, isPair, isSeq, visit, type Document } from 'yaml';
import { rangeStart } from './yaml-location.js';

/**
 * Most values aliases may add to a document. The data shares aliased values,
 * but validation, `--set` and sweeps walk (and copy) every expanded path, so
 * the expanded size is what costs time and memory; a hand-written experiment
 * stays far below this.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/** An alias problem at a source offset. */
export interface AliasProblem {
  readonly offset: number;
  readonly message: string;
}

/**
 * The alias problems of a parsed document, in source order: aliases to an
 * anchor not defined before them, and the alias at which the values added by
 * aliases pass {@link MAX_ALIAS_EXPANSION}, and aliases inside their own
 * anchor (a value that contains itself).
 */
export function aliasProblems(doc: Document): AliasProblem[] {
  const problems: AliasProblem[] = [];
  // One pass in source order: an alias refers to the last anchor of its name before it.
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  const sizes = new Map<unknown, number>();
  let added = 0;
  let bombed = false;
  visit(doc, {
    Node: (_key, node, ancestors) => {
      if (!isAlias(node)) {
        if (typeof node.anchor === 'string') anchors.set(node.anchor, node);
        return;
      }
      const target = anchors.get(node.source);
      const offset = rangeStart(node) ?? 0;
      if (target === undefined) {
        problems.push({ offset, message: `alias '*${node.source}' refers to no anchor '&${node.source}' defined before it` });
        return;
      }
      if (ancestors.includes(target as never)) {
        problems.push({ offset, message: `alias '*${node.source}' is inside its own anchor '&${node.source}' (a value cannot contain itself)` });
        return;
      }
      targets.set(node, target);
      if (bombed) return;
      added += expandedSize(target, targets, sizes);
      if (added > MAX_ALIAS_EXPANSION) {
        bombed = true;
        problems.push({
          offset,
          message: `aliases expand this file to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values (at '*${node.source}'); write the values out or alias less`,
        });
      }
    },
  });
  return problems;
}

/**
 * Values in a node once every alias inside it is replaced by its target
 * (memoised by node, so the walk is linear in the source however deep the
 * nesting; saturates instead of overflowing).
 */
function expandedSize(node: unknown, targets: ReadonlyMap<unknown, unknown>, sizes: Map<unknown, number>): number {
  const known = sizes.get(node);
  if (known !== undefined) return known;
  let size = 1;
  if (isAlias(node)) {
    const target = targets.get(node);
    size = target === undefined ? 1 : expandedSize(target, targets, sizes);
  } else if (isMap(node) || isSeq(node)) {
    for (const item of node.items as unknown[]) {
      size += isPair(item) ? expandedSize(item.key, targets, sizes) + expandedSize(item.value, targets, sizes) : expandedSize(item, targets, sizes);
      if (size > SATURATED) break;
    }
  }
  size = Math.min(size, SATURATED);
  sizes.set(node, size);
  return size;
}

const SATURATED = Number.MAX_SAFE_INTEGER / 2;
