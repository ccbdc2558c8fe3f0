/**
 * levsim statistics: pure functions over arrays (`number[]` or
 * `Float64Array`). Imports nothing else of the project.
 *
 * @module
 */

export * from './acf.js';
export * from './cascades.js';
export * from './correlation.js';
export * from './drawdown.js';
export * from './episode-price-drops.js';
export * from './episodes.js';
export * from './facts.js';
export * from './hill.js';
export * from './interval-facts.js';
export * from './leverage-cycles.js';
export * from './mid-grid.js';
export * from './moments.js';
export * from './output-tables.js';
export * from './power-law.js';
export * from './realized-vol.js';
export * from './returns.js';
export * from './smoothing.js';
export * from './summary.js';
export * from './systemic.js';
export * from './tree-stats.js';
export * from './variance-ratio.js';
export * from './zeta.js';
