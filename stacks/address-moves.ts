import { TerraformElement, TerraformResource, TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/** One address change: where a resource was, where it is now. See stacks/moves.ts. */
export interface AddressMove {
  /** The resource's old address, `type.name`, as the committed inventory (addresses/<env>.txt) lists it. */
  readonly from: string;
  /**
   * Where the resource is now: its construct path under the stack (`bedrock-bridge/turns/table`, the
   * inventory's second column) or its new address (`aws_dynamodb_table.<name>`). An address that no
   * resource has is allowed only as a link of a chain (another entry moves from it).
   */
  readonly to: string;
  /** Environments to write the move for. @default every environment that has the `to` resource */
  readonly environments?: readonly string[];
  /** Why the address changed (the refactor), for reviewers. */
  readonly reason: string;
}

/** A Terraform `moved` block. */
export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

export interface ResolvedMoves {
  /** The blocks to write, in table order. */
  readonly moved: readonly MovedBlock[];
  /** Entries that do not apply to this environment (narrowed by `environments`, or no `to` resource here). */
  readonly skipped: readonly AddressMove[];
  /** Entries that cannot be written as they are; synth fails with these. */
  readonly errors: readonly string[];
}

const ADDRESS = /^[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*$/;

/**
 * Resolves `moves` against the resources of `stack` (for environment `environment`): each applicable
 * entry becomes a `moved` block from the old address to the resource's current one.
 *
 * Rejected (Terraform would reject them too, or the move would do nothing useful): an old address a
 * resource of the stack still has, a `to` that names no resource in an environment the entry lists, a
 * different resource type at the two ends, and two entries with the same `from` or the same `to`.
 */
export function resolveMoves(stack: TerraformStack, environment: string, moves: readonly AddressMove[]): ResolvedMoves {
  const resources = stack.node.findAll().filter((n): n is TerraformResource => TerraformResource.isTerraformResource(n));
  const byAddress = new Map(resources.map((r) => [`${r.terraformResourceType}.${r.friendlyUniqueId}`, r]));
  const prefix = `${stack.node.path}/`;
  const byPath = new Map(resources.map((r) => [r.node.path.startsWith(prefix) ? r.node.path.slice(prefix.length) : r.node.path, r]));

  const applicable = moves.filter((m) => !m.environments || m.environments.includes(environment));
  const chainLinks = new Set(applicable.map((m) => m.from));
  const moved: MovedBlock[] = [];
  const skipped: AddressMove[] = moves.filter((m) => !applicable.includes(m));
  const errors: string[] = [];
  const seenFrom = new Set<string>();
  const seenTo = new Map<string, string>();

  for (const move of applicable) {
    const label = `move ${JSON.stringify(move.from)} -> ${JSON.stringify(move.to)}`;
    if (!ADDRESS.test(move.from)) {
      errors.push(`${label}: "from" must be a resource address (type.name) as the address inventory lists it`);
      continue;
    }
    if (byAddress.has(move.from)) {
      errors.push(`${label}: ${move.from} is still an address of this stack; a move is for an address that is gone`);
      continue;
    }
    const target = byAddress.get(move.to) ?? byPath.get(move.to);
    let to: string;
    if (target) {
      to = `${target.terraformResourceType}.${target.friendlyUniqueId}`;
    } else if (ADDRESS.test(move.to) && chainLinks.has(move.to)) {
      to = move.to; // an intermediate address of a chain (a -> b, b -> c): Terraform follows the chain
    } else if (move.environments) {
      errors.push(`${label}: no resource of this stack has that construct path or address`);
      continue;
    } else {
      skipped.push(move);
      continue;
    }
    const fromType = move.from.split(".")[0];
    const toType = to.split(".")[0];
    if (fromType !== toType) {
      errors.push(`${label}: a ${fromType} cannot move to a ${toType} (${to}); Terraform moves within one resource type`);
      continue;
    }
    if (seenFrom.has(move.from)) {
      errors.push(`${label}: ${move.from} is moved twice`);
      continue;
    }
    const other = seenTo.get(to);
    if (other) {
      errors.push(`${label}: ${to} already receives ${other}; Terraform rejects two moves to one address (chain them: older -> ${other}, ${other} -> new)`);
      continue;
    }
    seenFrom.add(move.from);
    seenTo.set(to, move.from);
    moved.push({ from: move.from, to });
  }
  return { moved, skipped, errors };
}

export interface AddressMovesProps {
  /** The environment name (entries may be narrowed to environments). */
  readonly environment: string;
  readonly moves: readonly AddressMove[];
}

/**
 * Writes the stack's `moved` blocks from a table of address moves (stacks/moves.ts), resolved when the
 * stack is synthesized, so every resource exists by then. Invalid entries fail synth.
 *
 * The blocks are written by this element instead of cdktf's `TerraformResource.moveFromId`: that call
 * makes synth run `terraform version` (a resource move adds a Terraform >= 1.5 validation), so synth
 * would need the terraform binary, and it allows one move per resource, which a chain of refactors needs
 * more than. The output is the same `moved` list cdktf writes.
 */
export class AddressMoves extends TerraformElement {
  private readonly props: AddressMovesProps;

  constructor(scope: Construct, id: string, props: AddressMovesProps) {
    super(scope, id);
    this.props = props;
    this.node.addValidation({ validate: () => [...this.resolve().errors] });
  }

  /** The moves of this stack as they will be written. */
  resolve(): ResolvedMoves {
    return resolveMoves(TerraformStack.of(this), this.props.environment, this.props.moves);
  }

  override toTerraform(): Record<string, unknown> {
    const { moved } = this.resolve();
    return moved.length ? { moved: moved.map((m) => ({ from: m.from, to: m.to })) } : {};
  }
}
