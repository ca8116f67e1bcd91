import * as fs from "node:fs";
import * as path from "node:path";
import type { Locale } from "../config/schema/common";
import type { EnvironmentConfig } from "../config/schema/environment";

const PROJECT_ROOT = path.join(__dirname, "..");
export const KIT_PROMPTS_DIR = path.join(PROJECT_ROOT, "config", "prompts");

/** The prompt files the kit ships per locale. */
export type PromptFile = "self-service-pre-processing.yaml" | "self-service-answer-generation.yaml" | "bedrock-bridge-system.md";

/**
 * Reads a prompt template: the environment's copy under `promptsDir` when it has one, else the kit's.
 * Read at synth time, so a prompt change shows up in the plan as a change of the prompt resource.
 */
export function readPrompt(env: EnvironmentConfig, locale: Locale, file: PromptFile): string {
  if (env.promptsDir) {
    const own = path.resolve(PROJECT_ROOT, env.promptsDir, locale, file);
    if (fs.existsSync(own)) return fs.readFileSync(own, "utf8");
  }
  const kit = path.join(KIT_PROMPTS_DIR, locale, file);
  if (!fs.existsSync(kit)) throw new Error(`prompt template ${path.relative(PROJECT_ROOT, kit)} is missing`);
  return fs.readFileSync(kit, "utf8");
}
