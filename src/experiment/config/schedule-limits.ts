/**
 * Execution schedules that cannot run within the horizon: a borrowing
 * trader whose parent orders are worked over `executionSlices` slices every
 * `executionIntervalUs` would send its last child
 * `(executionSlices − 1) × executionIntervalUs` after the parent starts; a
 * schedule longer than the whole run is a configuration error, refused at
 * validation (issue 12, "Bad input"), not a parent that silently never ends.
 *
 * @module
 */

import type { AgentGroupConfig } from './experiment-config.js';
import { AGENT_TYPES } from '../registry/agent-types.js';
import { formatDuration } from './duration.js';
import type { ConfigIssue } from './config-issues.js';
import { largest } from './size-limits.js';

/** The problems of the agents' execution schedules against the horizon, at the parameter that sets the length. */
export function scheduleIssues(horizonUs: number, agents: readonly AgentGroupConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  agents.forEach((g, i) => {
    const type = AGENT_TYPES.get(g.type);
    if (type === undefined || type.params['executionSlices'] === undefined || type.params['executionIntervalUs'] === undefined) return;
    const execution = g.params['execution'] ?? type.params['execution']?.default;
    if (execution === 'immediate') return;
    const slices = largest(g, type, 'executionSlices');
    const interval = largest(g, type, 'executionIntervalUs');
    const span = (slices - 1) * interval;
    if (!(span > horizonUs)) return;
    const key = g.params['executionSlices'] !== undefined ? 'executionSlices' : 'executionIntervalUs';
    issues.push({
      path: ['agents', i, 'params', key],
      message: `an execution schedule of ${slices} slices every ${formatDuration(interval)} spans ${formatDuration(span)}, longer than the horizon (${formatDuration(horizonUs)}); use fewer slices or a shorter executionIntervalUs`,
    });
  });
  return issues;
}
