import type { Logger } from "./log";
import { isRecord } from "./values";

/**
 * The protocol of Terraform's `aws_lambda_invocation` with `lifecycle_scope = "CRUD"`: the function
 * receives the configured input plus a `tf` key `{action, prev_input}` on create, on every input change
 * and on destroy.
 */
export type LifecycleAction = "create" | "update" | "delete";

/** The `tf` key as it arrives. */
export interface TerraformKey {
  action: LifecycleAction;
  prev_input: Record<string, unknown> | null;
}

export interface Lifecycle {
  readonly action: LifecycleAction;
  /** The previous input, on update. */
  readonly previous?: Record<string, unknown>;
  /** Why the previous input could not be read on update (it only drives cleanup, so it never fails the call). */
  readonly previousIgnored?: string;
}

const ACTIONS: readonly string[] = ["create", "update", "delete"];

/** Reads and checks the `tf` key of an invocation input; throws an Error naming the problem. */
export function readLifecycle(event: Record<string, unknown>): Lifecycle {
  const { tf } = event;
  if (!isRecord(tf)) {
    throw new Error('input has no "tf" object: invoke this function from aws_lambda_invocation with lifecycle_scope = "CRUD"');
  }
  if (typeof tf.action !== "string" || !ACTIONS.includes(tf.action)) {
    throw new Error(`tf.action must be create, update or delete, got ${JSON.stringify(tf.action)}`);
  }
  const action = tf.action as LifecycleAction;
  if (action !== "update") return { action };
  return isRecord(tf.prev_input) ? { action, previous: tf.prev_input } : { action, previousIgnored: "tf.prev_input is not an object" };
}

/**
 * Checks a custom resource's input with `parse`; on a problem logs it and throws an Error prefixed with
 * the function name, so `terraform apply` stops with a message naming the bad field.
 */
export function parseCustomResourceInput<T>(functionName: string, event: unknown, parse: (event: unknown) => T, log: Logger): T {
  try {
    return parse(event);
  } catch (error) {
    const message = `${functionName}: invalid input: ${(error as Error).message}`;
    log.error("invalid input", { outcome: "ERROR", detail: message });
    throw new Error(message);
  }
}
