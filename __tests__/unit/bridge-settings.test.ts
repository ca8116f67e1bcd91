import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseEnvironment } from "../../config/load";
import { SettingsError, validateBridgeSettings } from "../../functions/shared/bridge-settings";
import { buildBridgeSettings } from "../../stacks/bridge/bridge-settings";
import { defaultEnvironment, synthEnvironment } from "../support/synth";

/** The stack validates the settings.json it writes with the schema the functions read it with. */

test("every shipped environment writes settings the functions' schema accepts, byte for byte what they read", () => {
  for (const name of ["dev", "stg", "prod"]) {
    const env = defaultEnvironment(name);
    const settings = buildBridgeSettings(env);
    expect(validateBridgeSettings(JSON.parse(JSON.stringify(settings)))).toEqual(JSON.parse(JSON.stringify(settings)));
  }
});

test("a stack that would write invalid settings fails synth, naming the environment and the field path", () => {
  // An environment's own (empty) bridge system prompt: the functions could not answer with it.
  const promptsDir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-empty-prompt-"));
  fs.mkdirSync(path.join(promptsDir, "ja_JP"));
  fs.writeFileSync(path.join(promptsDir, "ja_JP", "bedrock-bridge-system.md"), "  \n");
  const dev = defaultEnvironment("dev");
  const env = parseEnvironment({ ...dev, promptsDir }, "test");
  let thrown: unknown;
  try {
    synthEnvironment(env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SettingsError);
  expect((thrown as Error).message).toMatch(/^environment dev: invalid bridge settings: settings\.systemPrompts\.ja_JP: must have at least 1 character/);
});
