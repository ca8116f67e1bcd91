import { parseEnvironment } from "../../config/load";
import devInput from "../../config/environments/dev";
import prodInput from "../../config/environments/prod";
import { failureRateFor } from "../../config/schema/alarms";
import { devWith, problemsOf } from "../support/config-fixtures";

function withAlarms(alarms: unknown, bridgeAlarms?: unknown): Record<string, unknown> {
  return devWith((env) => {
    env.alarms = alarms;
    if (bridgeAlarms !== undefined) (env.bridge as Record<string, unknown>).alarms = bridgeAlarms;
  });
}


describe("alarms configuration", () => {
  test("defaults: a created topic without subscribers, paging on, 20 % in 2 of 3 periods of 5 min with a 10-request guard", () => {
    const env = parseEnvironment(withAlarms(undefined), "test");
    expect(env.alarms).toEqual({
      topic: { create: true, name: "alarms", emails: [] },
      paging: true,
      failureRate: { percent: 20, periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 2, minimumRequests: 10, allFailingMinimum: 3 },
      overrides: {},
      workerErrors: 3,
      storeErrors: 1,
      lexErrors: 3,
    });
  });

  test("an existing topic by ARN; overrides merge over failureRate for their alarm only", () => {
    const env = parseEnvironment(
      withAlarms({ topic: { arn: "arn:aws:sns:ap-northeast-1:111122223333:oncall" }, failureRate: { percent: 25 }, overrides: { bedrockThrottles: { percent: 60 } } }),
      "test",
    );
    expect(env.alarms.topic).toEqual({ arn: "arn:aws:sns:ap-northeast-1:111122223333:oncall" });
    expect(failureRateFor(env.alarms, "bedrockThrottles")).toMatchObject({ percent: 60, periodSeconds: 300, minimumRequests: 10 });
    expect(failureRateFor(env.alarms, "syncFailures")).toMatchObject({ percent: 25 });
  });

  test("the shipped environments: dev does not page, stg mails the team, prod keeps the bridge's topic name and on-call address", () => {
    expect(parseEnvironment(devInput, "dev").alarms).toMatchObject({ paging: false, topic: { create: true, name: "alarms" } });
    const prod = parseEnvironment(prodInput, "prod");
    expect(prod.alarms).toMatchObject({ paging: true, topic: { create: true, name: "bridge-alarms", emails: ["contact-center-oncall@example.com"] } });
  });

  test.each([
    ["a topic that is neither created nor given", { topic: {} }, /^alarms\.topic: expected \{create: true, name\?, emails\?\} .* or \{arn: "<existing SNS topic ARN>"\}, not both/],
    ["both create and arn", { topic: { create: true, arn: "arn:aws:sns:ap-northeast-1:111122223333:t" } }, /^alarms\.topic: expected \{create: true/],
    ["create: false", { topic: { create: false } }, /^alarms\.topic: expected \{create: true/],
    ["a malformed topic ARN", { topic: { arn: "arn:aws:sqs:ap-northeast-1:111122223333:q" } }, /^alarms\.topic\.arn: expected an SNS topic ARN .*\(given: "arn:aws:sqs:/],
    ["a malformed email", { topic: { create: true, emails: ["oncall"] } }, /^alarms\.topic\.emails\.0: .* \(given: "oncall"\)$/],
    ["a topic name with a dot", { topic: { create: true, name: "a.b" } }, /^alarms\.topic\.name: expected 1-40 letters, digits, hyphens or underscores/],
    ["a percentage of 0", { failureRate: { percent: 0 } }, /^alarms\.failureRate\.percent: .* \(given: 0\)$/],
    ["a period that is no multiple of a minute", { failureRate: { periodSeconds: 90 } }, /^alarms\.failureRate\.periodSeconds: expected a multiple of 60 seconds \(given: 90\)$/],
    ["more alarming periods than evaluated", { failureRate: { evaluationPeriods: 2, datapointsToAlarm: 3 } }, /^alarms\.failureRate\.datapointsToAlarm: datapointsToAlarm \(3\) cannot exceed evaluationPeriods \(2\)/],
    [
      "an override that breaks the rule it merges with",
      { overrides: { pollFailures: { evaluationPeriods: 1 } } },
      /^alarms\.overrides\.pollFailures\.evaluationPeriods: datapointsToAlarm \(2\) cannot exceed evaluationPeriods \(1\)/,
    ],
    ["an unknown alarm kind in overrides", { overrides: { pollFailure: { percent: 30 } } }, /^alarms\.overrides: unknown field\(s\) "pollFailure"/],
    ["a store error threshold of 0", { storeErrors: 0 }, /^alarms\.storeErrors: .* \(given: 0\)$/],
  ])("rejects %s, naming the field", (_name, alarms, expected) => {
    expect(problemsOf(withAlarms(alarms))).toEqual([expect.stringMatching(expected)]);
  });

  test("bridge.alarms (the old place) stops synth with the new fields; a created topic is told how to keep its name", () => {
    const [problem] = problemsOf(withAlarms(undefined, { createTopic: true, emails: ["oncall@example.com"], workerErrorThreshold: 3, throttleThreshold: 5 }));
    expect(problem).toMatch(/^bridge\.alarms: moved to the top-level alarms section: createTopic\/emails -> alarms\.topic/);
    expect(problem).toContain("workerErrorThreshold -> alarms.workerErrors");
    expect(problem).toContain("throttleThreshold -> alarms.overrides.bedrockThrottles.percent");
    expect(problem).toContain('alarms.topic = {create: true, name: "bridge-alarms", emails: [...]}');
    const [withoutTopic] = problemsOf(withAlarms(undefined, { workerErrorThreshold: 3 }));
    expect(withoutTopic).toMatch(/^bridge\.alarms: moved to the top-level alarms section/);
    expect(withoutTopic).not.toContain("bridge-alarms");
  });
});
