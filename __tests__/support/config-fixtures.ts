import devInput from "../../config/environments/dev";
import { ConfigError, parseEnvironment } from "../../config/load";

/** The shipped dev environment file as written (defaults left out), changed by `change`. */
export function devWith(change: (env: Record<string, unknown>) => void): Record<string, unknown> {
  const env = structuredClone(devInput) as unknown as Record<string, unknown>;
  change(env);
  return env;
}

/** The configuration problems `build` reports (field path and message each); none when it succeeds. */
export function problemsFrom(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

/** The problems of a raw environment that must be rejected. */
export function problemsOf(raw: unknown): string[] {
  const problems = problemsFrom(() => parseEnvironment(raw, "test.ts"));
  if (problems.length === 0) throw new Error("expected the configuration to be rejected");
  return problems;
}
