import { Construct } from "constructs";
import { ConnectHoursOfOperation } from "@cdktf/provider-aws/lib/connect-hours-of-operation";
import { ConnectQueue } from "@cdktf/provider-aws/lib/connect-queue";
import { ConnectRoutingProfile } from "@cdktf/provider-aws/lib/connect-routing-profile";
import type { FlowsConfig } from "../../config/schema/flows";
import type { IConnectInstance } from "../connect-instance";
import { KitContext } from "../context";

/** What a flow needs of the queue it transfers to. */
export interface IQueue {
  readonly queueId: string;
  readonly queueArn: string;
}

export interface HandoffQueueProps {
  readonly instance: IConnectInstance;
  /** Whether this stack owns the instance (then it creates the queue). */
  readonly createQueue: boolean;
  /** `flows.handoff` of the environment. */
  readonly config: FlowsConfig["handoff"];
}

const WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;

function clock(time: string): { hours: number; minutes: number } {
  const [hours, minutes] = time.split(":").map(Number);
  return { hours, minutes };
}

/**
 * Where handed-off contacts go. On an instance the stack creates, it creates hours of operation, the
 * queue and a routing profile that serves it (voice and chat), so a transfer has a destination as soon
 * as agents are assigned the profile. On an existing instance it uses the configured queue.
 */
export class HandoffQueue extends Construct implements IQueue {
  readonly queueId: string;
  readonly queueArn: string;
  readonly hours?: ConnectHoursOfOperation;
  readonly queue?: ConnectQueue;
  readonly routingProfile?: ConnectRoutingProfile;

  constructor(scope: Construct, id: string, props: HandoffQueueProps) {
    super(scope, id);
    const { instance, config } = props;
    if (!props.createQueue) {
      if (!config.queueId) throw new Error("flows.handoff.queueId is required when the instance is not created by this stack");
      this.queueId = config.queueId;
      this.queueArn = `${instance.instanceArn}/queue/${config.queueId}`;
      return;
    }
    const context = KitContext.of(this);
    const days = config.hours.days ?? WEEK.map((day) => ({ day, start: "00:00", end: "23:59" }));
    this.hours = new ConnectHoursOfOperation(this, "hours", {
      instanceId: instance.instanceId,
      name: context.name("handoff-hours"),
      description: "Hours of the self-service handoff queue",
      timeZone: config.hours.timeZone,
      config: days.map((d) => ({ day: d.day, startTime: clock(d.start), endTime: clock(d.end) })),
    });
    this.queue = new ConnectQueue(this, "queue", {
      instanceId: instance.instanceId,
      name: context.name("handoff"),
      description: "Contacts handed over by the self-service bots",
      hoursOfOperationId: this.hours.hoursOfOperationId,
      maxContacts: config.maxContacts,
    });
    this.routingProfile = new ConnectRoutingProfile(this, "routing-profile", {
      instanceId: instance.instanceId,
      name: context.name("handoff-agents"),
      description: "Agents who take contacts handed over by the self-service bots",
      defaultOutboundQueueId: this.queue.queueId,
      mediaConcurrencies: [
        { channel: "VOICE", concurrency: 1 },
        { channel: "CHAT", concurrency: 2 },
      ],
      queueConfigs: [
        { channel: "VOICE", delay: 0, priority: 1, queueId: this.queue.queueId },
        { channel: "CHAT", delay: 0, priority: 1, queueId: this.queue.queueId },
      ],
    });
    this.queueId = this.queue.queueId;
    this.queueArn = this.queue.arn;
  }
}
