import { Construct } from "constructs";
import { ConnectPhoneNumber } from "@cdktf/provider-aws/lib/connect-phone-number";
import type { PhoneNumberConfig } from "../../config/schema/flows";
import type { IConnectInstance } from "../connect-instance";
import { KitContext } from "../context";
import type { PolicyStatement } from "../iam/service-role";
import { LambdaCustomResource } from "../lambda/custom-resource";
import type { IContactFlow } from "./contact-flow";

export interface VoicePhoneNumberProps {
  readonly instance: IConnectInstance;
  /** `flows.phoneNumber` of the environment (claim a number, or use one the instance has). */
  readonly config: PhoneNumberConfig;
  /** The flow callers reach (the voice flow). */
  readonly flow: IContactFlow;
}

/**
 * A phone number pointed at the voice flow. `mode: "claim"` claims a new number for the instance
 * (`aws_connect_phone_number`; tags come from the provider's default_tags); `mode: "existing"` uses a
 * number the instance already has. Either way a custom resource (functions/phone-number-flow) points
 * the number at the flow, since neither the provider nor CloudFormation can: on destroy the number is
 * disassociated from the flow (a claimed number is then released by Terraform).
 */
export class VoicePhoneNumber extends Construct {
  /** The phone number's id (a UUID; a token when claimed). */
  readonly phoneNumberId: string;
  readonly phoneNumberArn: string;
  /** The number in E.164 form; only known for a claimed number (after apply). */
  readonly phoneNumber?: string;
  /** The claimed number, in claim mode. */
  readonly claimed?: ConnectPhoneNumber;
  /** The custom resource that points the number at the flow. */
  readonly association: LambdaCustomResource;

  constructor(scope: Construct, id: string, props: VoicePhoneNumberProps) {
    super(scope, id);
    const context = KitContext.of(this);
    const { config, instance, flow } = props;
    if (config.mode === "claim") {
      this.claimed = new ConnectPhoneNumber(this, "number", {
        targetArn: instance.instanceArn,
        countryCode: config.countryCode,
        type: config.type,
        prefix: config.prefix,
        description: `Voice entry of the ${context.env.name} contact center`,
      });
      this.phoneNumberId = this.claimed.id;
      this.phoneNumberArn = this.claimed.arn;
      this.phoneNumber = this.claimed.phoneNumber;
    } else {
      this.phoneNumberId = config.phoneNumberId;
      this.phoneNumberArn = context.arn("connect", `phone-number/${config.phoneNumberId}`);
    }
    this.association = new LambdaCustomResource(this, "flow-association", {
      source: "phone-number-flow",
      description: "Points the voice phone number at the voice contact flow (Terraform custom resource)",
      input: { instanceId: instance.instanceId, phoneNumberId: this.phoneNumberId, contactFlowId: flow.flowId },
      statements: phoneNumberFlowStatements(context, this.phoneNumberArn, flow.flowArn),
    });
  }
}

/**
 * What the association handler may call. Associating names both the number and the flow (the two
 * resource types the action takes). Disassociating takes the number only, and on update the handler
 * also disassociates the previous number, whose id is known only at apply time (tf.prev_input): so
 * that action is granted on this account's phone numbers in this Region rather than one ARN.
 */
export function phoneNumberFlowStatements(context: KitContext, phoneNumberArn: string, flowArn: string): PolicyStatement[] {
  return [
    { sid: "AssociateNumberWithFlow", actions: ["connect:AssociatePhoneNumberContactFlow"], resources: [phoneNumberArn, flowArn] },
    { sid: "DisassociateNumberFromFlow", actions: ["connect:DisassociatePhoneNumberContactFlow"], resources: [context.arn("connect", "phone-number/*")] },
  ];
}
