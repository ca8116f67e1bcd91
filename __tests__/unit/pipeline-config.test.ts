import { loadEnvironments, parseEnvironment } from "../../config/load";
import type { Locale } from "../../config/schema/common";
import { DEFAULT_SMOKE_LOCALES } from "../../config/schema/smoke";
import devInput from "../../config/environments/dev";
import { BotIntent } from "../../functions/shared/flow-contract";
import { botLocales } from "../../stacks/lex/bot-definition";
import { devWith, problemsOf } from "../support/config-fixtures";



describe("pipeline section", () => {
  test("the shipped environments name their pipeline role; prod is protected and smoke-tested read-only", () => {
    const byName = Object.fromEntries(loadEnvironments().map((e) => [e.name, e.pipeline]));
    expect(byName.dev).toEqual({ oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-dev-pipeline", protected: false, smokeMode: "full" });
    expect(byName.stg).toEqual({ oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-stg-pipeline", protected: false, smokeMode: "full" });
    expect(byName.prod).toEqual({
      oidcRoleArn: "arn:aws:iam::111122223333:role/contact-center-prod-pipeline",
      protected: true,
      smokeMode: "read-only",
    });
  });

  test("the section is optional", () => {
    expect(parseEnvironment(devWith((e) => delete e.pipeline), "test").pipeline).toBeUndefined();
  });

  test.each([
    [
      "a role ARN that is not an IAM role",
      { oidcRoleArn: "arn:aws:iam::111122223333:user/deployer" },
      /^pipeline.oidcRoleArn: expected an IAM role ARN \(arn:aws:iam::<account>:role\/<name>\) \(given: "arn:aws:iam::111122223333:user\/deployer"\)$/,
    ],
    ["a missing role", { protected: true }, /^pipeline.oidcRoleArn: .* \(given: nothing\)$/],
    ["an unknown smoke mode", { oidcRoleArn: "arn:aws:iam::111122223333:role/r", smokeMode: "none" }, /^pipeline.smokeMode: .*"full"\|"read-only".* \(given: "none"\)$/],
    ["protected given as a string", { oidcRoleArn: "arn:aws:iam::111122223333:role/r", protected: "yes" }, /^pipeline.protected: .*boolean.* \(given: "yes"\)$/],
    ["a misspelt field", { oidcRoleArn: "arn:aws:iam::111122223333:role/r", protect: true }, /^pipeline: unknown field\(s\) "protect"/],
  ])("rejects %s with the field path", (_label, pipeline, message) => {
    expect(problemsOf(devWith((e) => (e.pipeline = pipeline)))).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});

describe("smoke section", () => {
  test("defaults: the kit's conversation per locale, 1 s transcript polling, the chat path's limit", () => {
    const env = parseEnvironment(devWith((e) => delete e.smoke), "test");
    expect(env.smoke).toEqual({ pollIntervalMs: 1000, ja_JP: DEFAULT_SMOKE_LOCALES.ja_JP, en_US: DEFAULT_SMOKE_LOCALES.en_US });
    expect(env.smoke.locale).toBeUndefined();
    expect(env.smoke.answerTimeoutSeconds).toBeUndefined();
  });

  test("one configured locale keeps the other locale's defaults, and defaults are not shared between environments", () => {
    const env = parseEnvironment(
      devWith((e) => (e.smoke = { locale: "en_US", answerTimeoutSeconds: 20, en_US: { questions: [{ text: "Opening hours?", expect: "\\d{1,2}(:\\d\\d)?\\s*(am|pm)" }], handoffPhrase: "agent" } })),
      "test",
    );
    expect(env.smoke.en_US).toEqual({ questions: [{ text: "Opening hours?", expect: "\\d{1,2}(:\\d\\d)?\\s*(am|pm)" }], handoffPhrase: "agent" });
    expect(env.smoke.ja_JP).toEqual(DEFAULT_SMOKE_LOCALES.ja_JP);
    env.smoke.ja_JP.questions.push({ text: "changed" });
    expect(parseEnvironment(devInput, "test").smoke.ja_JP).toEqual(DEFAULT_SMOKE_LOCALES.ja_JP);
  });

  test.each(["ja_JP", "en_US"] as const)("the default %s handoff phrase is one of the bridge bot's TalkToAgent utterances", (locale: Locale) => {
    const env = loadEnvironments({ only: "dev" })[0];
    const intent = botLocales(env, "bedrock-bridge")
      .find((l) => l.LocaleId === locale)
      ?.Intents?.find((i) => i.Name === BotIntent.talkToAgent);
    expect(intent?.SampleUtterances?.map((u) => u.Utterance)).toContain(DEFAULT_SMOKE_LOCALES[locale].handoffPhrase);
  });

  test.each([
    ["an invalid expect pattern", { en_US: { questions: [{ text: "Hi", expect: "(unclosed" }], handoffPhrase: "agent" } }, /^smoke.en_US.questions.0.expect: expected a valid regular expression/],
    ["an invalid mustNotMatch pattern", { ja_JP: { questions: [{ text: "こんにちは", mustNotMatch: "[z-a]" }], handoffPhrase: "担当者" } }, /^smoke.ja_JP.questions.0.mustNotMatch: expected a valid regular expression/],
    ["no questions", { ja_JP: { questions: [], handoffPhrase: "担当者" } }, /^smoke.ja_JP.questions: Too small: expected array to have >=1 items \(given: \[\]\)$/],
    ["an empty question", { ja_JP: { questions: [{ text: "" }], handoffPhrase: "担当者" } }, /^smoke.ja_JP.questions.0.text: Too small/],
    ["a missing handoff phrase", { en_US: { questions: [{ text: "Hi" }] } }, /^smoke.en_US.handoffPhrase: .* \(given: nothing\)$/],
    ["a zero answer timeout", { answerTimeoutSeconds: 0 }, /^smoke.answerTimeoutSeconds: Too small: expected number to be >0 \(given: 0\)$/],
    ["an unsupported locale", { locale: "fr_FR" }, /^smoke.locale: .*"ja_JP"\|"en_US".* \(given: "fr_FR"\)$/],
    ["a question with an unknown field", { en_US: { questions: [{ text: "Hi", expected: "x" }], handoffPhrase: "agent" } }, /^smoke.en_US.questions.0: unknown field\(s\) "expected"/],
  ])("rejects %s with the field path", (_label, smoke, message) => {
    expect(problemsOf(devWith((e) => (e.smoke = smoke)))).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});
