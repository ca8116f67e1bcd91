/** The transition graph of a flow: which actions an action leads to, and what StartAction reaches. */
import type { FlowAction } from "./wire";

/** Targets of an action in drawing order: condition branches, then the next action, then errors. */
export function successors(action: FlowAction): string[] {
  const t = action.Transitions ?? {};
  const targets = [
    ...(Array.isArray(t.Conditions) ? t.Conditions : []).map((c) => c?.NextAction),
    t.NextAction,
    ...(Array.isArray(t.Errors) ? t.Errors : []).map((e) => e?.NextAction),
  ].filter((target): target is string => typeof target === "string");
  return [...new Set(targets)];
}

/** Identifiers StartAction reaches, in breadth-first order (StartAction first). */
export function reachableFrom(startAction: string, actions: readonly FlowAction[]): string[] {
  const byId = new Map<string, FlowAction>();
  for (const a of actions) if (!byId.has(a.Identifier)) byId.set(a.Identifier, a);
  const start = byId.get(startAction);
  if (!start) return [];
  const seen = new Set([startAction]);
  const queue = [startAction];
  for (let i = 0; i < queue.length; i++) {
    for (const target of successors(byId.get(queue[i]) as FlowAction)) {
      if (byId.has(target) && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return queue;
}
