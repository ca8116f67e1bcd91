import { setLogSink, type LogSink } from "../../functions/shared/log";

/** Collects the JSON log lines the handlers write, so tests can assert one structured line per outcome. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  private previous: LogSink | undefined;

  start(): void {
    this.previous = setLogSink((line) => this.lines.push(JSON.parse(line) as Record<string, unknown>));
  }

  stop(): void {
    if (this.previous) setLogSink(this.previous);
    this.previous = undefined;
  }

  clear(): void {
    this.lines.length = 0;
  }

  /** Lines at a level, for example "error". */
  at(level: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.level === level);
  }
}
