export * from './market-maker.js';
export * from './momentum-trader.js';
export * from './noise-trader.js';
export * from './order-tracker.js';
export * from './trading-agent.js';
export * from './value-trader.js';
