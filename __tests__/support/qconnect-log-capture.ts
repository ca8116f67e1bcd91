import { setLogSink, type LogSink } from "../../functions/shared/log";
import { setMetricsSink, type MetricsSink } from "../../functions/shared/metrics";

/**
 * Collects the JSON log lines the handlers write, so tests can assert one structured line per outcome.
 * Embedded-metric lines (a separate sink) are collected apart, in `metrics`, so they neither mix with
 * the log lines nor reach the test's stdout.
 */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  /** The EMF metric lines written since the last clear(). */
  readonly metrics: Record<string, unknown>[] = [];
  private previous: LogSink | undefined;
  private previousMetrics: MetricsSink | undefined;

  start(): void {
    this.previous = setLogSink((line) => this.lines.push(JSON.parse(line) as Record<string, unknown>));
    this.previousMetrics = setMetricsSink((line) => this.metrics.push(JSON.parse(line) as Record<string, unknown>));
  }

  stop(): void {
    if (this.previous) setLogSink(this.previous);
    if (this.previousMetrics) setMetricsSink(this.previousMetrics);
    this.previous = undefined;
    this.previousMetrics = undefined;
  }

  clear(): void {
    this.lines.length = 0;
    this.metrics.length = 0;
  }

  /** Lines at a level, for example "error". */
  at(level: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.level === level);
  }
}
