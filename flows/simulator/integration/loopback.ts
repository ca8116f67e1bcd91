/**
 * The loopback services and helpers the simulation shares with the function test suites. They live in
 * __tests__/support (where the handler tests use them) and are re-exported here, so the simulator's CLI
 * can use them outside jest; none of them touches jest at import time.
 */
export { createTurnsTable, startDynalite, type DynamoRequestObserver, type LocalDynamo } from "../../../__tests__/support/dynalite";
export { FakeBedrock, type FakeReply, type RecordedCall, answerReply, serverErrorReply, throttleReply, toolReply } from "../../../__tests__/support/fake-bedrock";
export { FakeLambda, type Delivery, type Handler } from "../../../__tests__/support/fake-lambda";
export { FakeAwsJsonServer, type RecordedRequest, type Reply, awsError, ok } from "../../../__tests__/support/fake-aws-json-server";
export { unzip } from "../../../__tests__/support/built-bundle";
export { synthEnvironment, type SynthesizedStack, type TerraformJson } from "../../../__tests__/support/synth";
