/** The order environments are deployed in: a version reaches one only after it succeeded in the one before. */

/** A command as the order judges it (the gates' `Gated`). */
export interface Judged {
  command: string;
  args: Record<string, string | undefined>;
  /** The environment it changes. */
  environment?: string;
}

/** A deploy that breaks the configured order, as the gate needs it. */
export interface OrderHit {
  /** One sentence: what is out of order, and what to do instead. */
  sentence: string;
  /** Roles that may approve a deploy out of order; none means nobody can. */
  breakGlassRoles: string[];
}

/** Judges a command against the configured order. */
export interface DeployOrder {
  /**
   * The rule a command breaks, if any. Throws a UserError when the command cannot run at all
   * (a promote from an environment where nothing is live).
   */
  check(input: Judged): Promise<OrderHit | undefined>;
}

/** The break-glass rule's label (its approvals are for going out of order). */
export const orderLabel = 'break-glass order';

/** Why the order refuses this, or undefined when it does not (in order, or a break-glass is asked for). */
export function orderRefusal(input: Judged, hit: OrderHit | undefined): string | undefined {
  if (!hit) return undefined;
  if (hit.breakGlassRoles.length === 0)
    return `${hit.sentence} Nobody can approve a deploy out of order: list roles under \`deployments.breakGlass.roles\` to allow one.`;
  if (input.args['break-glass']) return undefined;
  return (
    `${hit.sentence} To go ahead anyway, ask for a break-glass approval from ` +
    `${hit.breakGlassRoles.join(' or ')}: add \`--break-glass "why"\` to the command.`
  );
}
