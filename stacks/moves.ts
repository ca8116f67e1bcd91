import type { AddressMove } from "./address-moves";

/**
 * Resource addresses that changed, and where each resource is now. The stack writes one Terraform
 * `moved` block per entry, so `terraform plan` moves the resource in the state instead of destroying the
 * old one and creating a new one (which, for the turn table, the queues, the bots or the instance, loses
 * data or identity).
 *
 * A refactor that changes addresses (renaming or re-nesting a construct changes the `type.name` of every
 * resource under it) adds one line per resource here, then updates the address inventory on purpose:
 *
 *   npm run addresses -- --check        lists the removed and added addresses, stateful ones first
 *   (add the entries below)
 *   npm run addresses -- --update       rewrites addresses/<env>.txt; review and commit both
 *
 * `from` is the old address exactly as the committed inventory lists it; `to` is the resource's construct
 * path under the stack (the inventory's second column) or its new address. An entry applies to every
 * environment that has the `to` resource unless `environments` narrows it. Keep entries until every
 * environment has applied them (a moved block whose old address is gone from the state does nothing).
 *
 * @example
 * { from: "aws_dynamodb_table.bedrock-bridge_turns_table_510D280A", to: "bedrock-bridge/storage/turns/table",
 *   reason: "turn table nested under the bridge's storage construct" },
 */
export const MOVES: readonly AddressMove[] = [
  // Alarms became a top-level section with a topic in every environment: the topic the bridge created
  // (bridge.alarms.createTopic) and its email subscriptions now live under the stack's `alarms`. An
  // environment that subscribed more addresses adds one line per further subscription (email-1, ...),
  // from the address its inventory lists.
  {
    from: "aws_sns_topic.bedrock-bridge_alarms_topic_4D4D21C4",
    to: "alarms/topic",
    reason: "alarm topic moved from the bridge (bedrock-bridge/alarms) to the stack's alarms",
  },
  {
    from: "aws_sns_topic_subscription.bedrock-bridge_alarms_email-0_C5757130",
    to: "alarms/email-0",
    reason: "alarm topic's first email subscription moved with the topic",
  },
];
