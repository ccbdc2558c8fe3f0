export * from './execution-plan.js';
export * from './parent-order-executor.js';
export * from './schedule-sizes.js';
