import { Metric, createMetrics, setMetricsSink } from "../../../functions/shared/metrics";

describe("EMF metrics", () => {
  const lines: string[] = [];
  let previous: ReturnType<typeof setMetricsSink>;
  beforeEach(() => {
    lines.length = 0;
    previous = setMetricsSink((line) => lines.push(line));
    process.env.ENVIRONMENT_NAME = "stg";
  });
  afterEach(() => setMetricsSink(previous));

  test("one line with namespace, dimensions, declared metrics and their values", () => {
    const metrics = createMetrics("bedrock-worker");
    metrics.count(Metric.BedrockThrottles);
    metrics.count(Metric.BedrockThrottles, 2);
    metrics.duration(Metric.AnswerLatencyMs, 1234.6);
    metrics.duration(Metric.AnswerLatencyMs, 10);
    metrics.property("contactId", "c-1");
    metrics.flush();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: "ContactCenterKit/Bridge",
            Dimensions: [["Environment", "Function"]],
            Metrics: [
              { Name: "BedrockThrottles", Unit: "Count" },
              { Name: "AnswerLatencyMs", Unit: "Milliseconds" },
            ],
          },
        ],
      },
      Environment: "stg",
      Function: "bedrock-worker",
      BedrockThrottles: 3,
      AnswerLatencyMs: [1235, 10],
      contactId: "c-1",
    });
  });

  test("nothing recorded, nothing written; a property cannot override a dimension", () => {
    const metrics = createMetrics("answer-poller");
    metrics.flush();
    expect(lines).toHaveLength(0);
    metrics.property("Function", "spoofed");
    metrics.count(Metric.PollReady);
    metrics.flush();
    expect(JSON.parse(lines[0]).Function).toBe("answer-poller");
  });
});
