/** A builder input that the Flow language or the service does not accept, reported when it is given. */
export class FlowInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlowInputError";
  }
}

/** Problems only visible once the whole flow is known (undefined references, duplicate identifiers). */
export class FlowBuildError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the flow cannot be built:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "FlowBuildError";
  }
}
