export * from './agent.js';
export * from './event-queue.js';
export * from './kernel.js';
export * from './latency-model.js';
export * from './message.js';
export * from './random-stream.js';
export * from './sim-event.js';
export * from './time.js';
