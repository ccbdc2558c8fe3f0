/**
 * What names an agent: its index in the kernel's registry. Its own file, the
 * ground of the engine, because the kernel, the latency models and every
 * agent use it; in agent.ts (beside BaseAgent, which needs the kernel) it
 * would tie agent.ts and kernel.ts into a circle again.
 */

/** Identifies an agent registered with the kernel (its index). */
export type AgentId = number;
