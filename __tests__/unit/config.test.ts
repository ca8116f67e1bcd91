import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironments, parseEnvironment } from "../../config/load";
import { chatStrategy, type EnvironmentInput } from "../../config/schema/environment";
import devInput from "../../config/environments/dev";
import { devWith, problemsOf } from "../support/config-fixtures";

const ROOT = path.join(__dirname, "..", "..");



describe("environment configuration", () => {
  test("the embedded dev, prod and stg environments validate, sorted by name", () => {
    expect(loadEnvironments().map((e) => e.name)).toEqual(["dev", "prod", "stg"]);
  });

  test("defaults are filled in: locales, retention, name prefix, bridge poll settings", () => {
    const env = parseEnvironment(
      { ...(devInput as EnvironmentInput), locales: undefined, logRetentionDays: undefined, namePrefix: undefined },
      "test",
    );
    expect(env.locales).toEqual(["ja_JP"]);
    expect(env.logRetentionDays).toBe(30);
    expect(env.namePrefix).toBe("cc");
    expect(env.bridge?.poll).toEqual({ intervalMs: 200, pollerBudgetMs: 6500, turnTimeoutSeconds: 90 });
    expect(chatStrategy(env)).toBe("poll");
  });

  test("CONTACT_CENTER_ENV-style filtering loads one environment, and an unknown name lists the available ones", () => {
    expect(loadEnvironments({ only: "stg" }).map((e) => e.name)).toEqual(["stg"]);
    expect(() => loadEnvironments({ only: "qa" })).toThrow(/no environment file named "qa"; available: dev, prod, stg/);
  });

  test.each([
    ["a bad region", (e: Record<string, unknown>) => (e.region = "tokyo"), /^region: expected an AWS region such as ap-northeast-1 \(given: "tokyo"\)$/],
    [
      "an unknown field (typo)",
      (e: Record<string, unknown>) => (e.logRetentionDay = 14),
      /^\(top level\): unknown field\(s\) "logRetentionDay"/,
    ],
    [
      "a retention CloudWatch does not offer",
      (e: Record<string, unknown>) => (e.logRetentionDays = 10),
      /^logRetentionDays: expected one of the CloudWatch Logs retention periods: 1, 3, 5, 7, 14.* \(given: 10\)$/,
    ],
    [
      "an unknown backend type",
      (e: Record<string, unknown>) => (e.backend = { type: "gcs" }),
      /^backend.type: .*'local' \| 's3' \| 'cloud'.* \(given: "gcs"\)$/,
    ],
    [
      "an S3 backend without a bucket",
      (e: Record<string, unknown>) => (e.backend = { type: "s3" }),
      /^backend.bucket: .* \(given: nothing\)$/,
    ],
    [
      "EXISTING_DIRECTORY without a directory id",
      (e: Record<string, unknown>) => (e.connect = { mode: "create", alias: "x1", identityManagementType: "EXISTING_DIRECTORY" }),
      /^connect.directoryId: directoryId is required when identityManagementType is EXISTING_DIRECTORY/,
    ],
    [
      "a malformed existing instance id",
      (e: Record<string, unknown>) => (e.connect = { mode: "existing", instanceId: "my-instance" }),
      /^connect.instanceId: expected a Connect instance id \(a UUID\) \(given: "my-instance"\)$/,
    ],
    ["an unsupported locale", (e: Record<string, unknown>) => (e.locales = ["ja_JP", "fr_FR"]), /^locales.1: .*"ja_JP"\|"en_US".* \(given: "fr_FR"\)$/],
    ["a repeated locale", (e: Record<string, unknown>) => (e.locales = ["ja_JP", "ja_JP"]), /^locales: locales must not repeat/],
    [
      "a bridge engine without the bridge section",
      (e: Record<string, unknown>) => delete e.bridge,
      /^bridge: a channel uses bedrock-bridge, so the bridge section is required \(given: nothing\)$/,
    ],
    [
      "the poll strategy on Q in Connect chat",
      (e: Record<string, unknown>) => (e.channels = { chat: { engine: "q-in-connect", strategy: "poll" }, voice: { engine: "q-in-connect" } }),
      /^channels.chat.strategy: poll is a bedrock-bridge strategy/,
    ],
    [
      "a model profile not offered in the region",
      (e: Record<string, unknown>) => ((e.bridge as { models: Record<string, string> }).models.chat = "us.amazon.nova-lite-v1:0"),
      /^bridge.models.chat: model "us.amazon.nova-lite-v1:0" is not offered in ap-northeast-1; ids callable there: apac.amazon.nova-lite-v1:0/,
    ],
    [
      "an unknown model",
      (e: Record<string, unknown>) => ((e.bridge as { models: Record<string, string> }).models.voice = "apac.openai.gpt-9"),
      /^bridge.models.voice: unknown model "apac.openai.gpt-9"; known base models: .* \(add others under models.extra\)/,
    ],
    [
      "a Q in Connect model Q in Connect does not list",
      (e: Record<string, unknown>) =>
        ((e.qInConnect as { agents: { chat: Record<string, string> } }).agents.chat.preProcessing = "apac.anthropic.claude-3-7-sonnet-20250219-v1:0"),
      /^qInConnect.agents.chat.preProcessing: model "apac.anthropic.claude-3-7-sonnet-20250219-v1:0" is not listed for Amazon Q in Connect custom prompts in ap-northeast-1/,
    ],
    [
      "a poller budget above the flow's 8 s Lambda limit",
      (e: Record<string, unknown>) => ((e.bridge as Record<string, unknown>).poll = { pollerBudgetMs: 9000 }),
      /^bridge.poll.pollerBudgetMs: Too big: expected number to be <=7000 \(given: 9000\)$/,
    ],
  ])("rejects %s, naming the field path, the value given and what is allowed", (_label, change, message) => {
    const problems = problemsOf(devWith(change));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test("a model added under models.extra becomes valid for its region", () => {
    const raw = devWith((e) => {
      (e.bridge as { models: Record<string, string> }).models.chat = "apac.example.fast-model-v1:0";
      e.models = { extra: { "example.fast-model-v1:0": { profiles: ["apac"], expectedSeconds: 1 } } };
    });
    expect(parseEnvironment(raw, "test").bridge?.models.chat).toBe("apac.example.fast-model-v1:0");
  });

  test("an environment file whose name field differs from its file name is rejected", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-config-"));
    fs.writeFileSync(path.join(dir, "qa.json"), JSON.stringify({ ...(devInput as object), name: "dev" }));
    expect(() => loadEnvironments({ dir })).toThrow(/name: "dev" does not match the file name; expected "qa"/);
  });

  test("synth fails on an invalid environment file with the file, the field path and the allowed values", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cc-config-"));
    const broken = { ...(devInput as object), name: "qa", backend: { type: "s3", bucket: "Not_A_Bucket" } };
    fs.writeFileSync(path.join(dir, "qa.json"), JSON.stringify(broken));
    const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "main.ts"], {
      cwd: ROOT,
      env: { ...process.env, CONTACT_CENTER_CONFIG_DIR: dir, CONTACT_CENTER_OUTDIR: path.join(dir, "out") },
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`invalid configuration in ${path.relative(ROOT, path.join(dir, "qa.json"))}`);
    expect(result.stderr).toMatch(/backend.bucket: expected an S3 bucket name \(given: "Not_A_Bucket"\)/);
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });
});
