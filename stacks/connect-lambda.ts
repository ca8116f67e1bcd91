import type { Construct } from "constructs";
import { ConnectLambdaFunctionAssociation } from "@cdktf/provider-aws/lib/connect-lambda-function-association";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { IConnectInstance } from "./connect-instance";
import { KitContext } from "./context";
import type { IKitFunction } from "./lambda/nodejs-function";

/**
 * Lets one Connect instance's flows invoke `fn`: a resource policy for connect.amazonaws.com limited to
 * the instance (and account), and the instance's Lambda association, which flows need to list it.
 * Returns the association: a flow that invokes the function depends on it.
 */
export function allowConnectToInvoke(scope: Construct, id: string, instance: IConnectInstance, fn: IKitFunction): ConnectLambdaFunctionAssociation {
  new LambdaPermission(scope, `${id}-connect-invoke`, {
    action: "lambda:InvokeFunction",
    functionName: fn.functionName,
    principal: "connect.amazonaws.com",
    sourceArn: instance.instanceArn,
    sourceAccount: KitContext.of(scope).accountId,
  });
  return new ConnectLambdaFunctionAssociation(scope, `${id}-connect-association`, {
    instanceId: instance.instanceId,
    functionArn: fn.functionArn,
  });
}
