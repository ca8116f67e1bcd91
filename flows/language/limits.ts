/** Numeric limits of the Flow language and of the service, with where each comes from. */
export const FLOW_LIMITS = {
  /** Actions per flow (service documentation's example flow). */
  maxActions: 250,
  /** Characters of the content string (CreateContactFlow `Content`). */
  maxContentCharacters: 256_000,
  /** Loop `LoopCount`, inclusive. */
  loopCount: { min: 0, max: 100 },
  /** InvokeLambdaFunction `InvocationTimeLimitSeconds`, synchronous invocation. */
  lambdaSynchronousSeconds: { min: 1, max: 8 },
  /** InvokeLambdaFunction `InvocationTimeLimitSeconds`, asynchronous invocation (block page). */
  lambdaAsynchronousSeconds: { min: 1, max: 60 },
  /** Wait `TimeLimitSeconds` (7 days). */
  waitSeconds: { min: 1, max: 604_800 },
  /**
   * ConnectParticipantWithLexBot `LexTimeoutSeconds.Text`: the console offers 1 minute to 7 days;
   * 10 s literals were refused by the API in a third-party test, so the kit stays at 60 s or more.
   */
  lexTimeoutSeconds: { min: 60, max: 604_800 },
} as const;

/** A template placeholder standing for a resolved ARN is counted as this many characters. */
export const PLACEHOLDER_ESTIMATED_CHARACTERS = 200;
