/**
 * A reference to an action of one flow. Transitions take references, never free strings, so a typo in
 * a target becomes a build error ("declared but never defined") instead of a dangling transition.
 */
export class ActionRef {
  /**
   * @param id the action's Identifier
   * @param owner the builder that issued the reference; a reference used in another builder's flow is
   *   reported when that flow is built
   */
  constructor(
    readonly id: string,
    readonly owner: object,
  ) {}

  toString(): string {
    return `ActionRef(${this.id})`;
  }
}
