import {
  type Identifier,
  type IdentifierType,
  identifierTypes,
  identifierTypesStrongestFirst,
} from "@rapport/events";

/**
 * How the identity graph treats each identifier type. `priority` lists every type, strongest
 * first: the event belongs to the customer of its strongest identifier. `limits` caps how many
 * identifiers of a type one customer may hold; a link or merge beyond it is refused, because a
 * customer with six customer numbers or forty phones is a bad merge, not a person.
 */
export type IdentityRules = {
  priority: readonly IdentifierType[];
  limits: Readonly<Record<IdentifierType, number>>;
};

export const defaultIdentityRules: IdentityRules = {
  priority: identifierTypesStrongestFirst,
  limits: { customer_number: 1, email: 5, phone: 5, loyalty_card: 3, device_id: 20, cookie_id: 100 },
};

/** Identifiers that name a browser or a device, not a person: a customer with only these is anonymous. */
export const anonymousIdentifierTypes: readonly IdentifierType[] = ["device_id", "cookie_id"];

export function isAnonymousIdentifierType(type: IdentifierType): boolean {
  return anonymousIdentifierTypes.includes(type);
}

export type IdentityRulesOverrides = {
  priority?: readonly IdentifierType[];
  limits?: Partial<Record<IdentifierType, number>>;
};

/**
 * The default rules with a service's configured overrides. A priority list must name every type
 * once and a limit must be a whole number of at least one: anything else is a configuration error,
 * thrown here at start-up rather than discovered as an odd merge in production.
 */
export function identityRules(overrides: IdentityRulesOverrides = {}): IdentityRules {
  const priority = overrides.priority ?? defaultIdentityRules.priority;
  const limits = { ...defaultIdentityRules.limits, ...overrides.limits };
  const named = new Set(priority);
  if (named.size !== priority.length || identifierTypes.some((type) => !named.has(type))) {
    throw new Error(`identifier priority must list each of ${identifierTypes.join(", ")} exactly once`);
  }
  for (const type of identifierTypes) {
    if (!Number.isInteger(limits[type]) || limits[type] < 1) {
      throw new Error(`the limit of ${type} identifiers per customer must be a whole number ≥ 1`);
    }
  }
  return { priority, limits };
}

/** 0 for the strongest identifier type, larger for weaker ones. */
export function priorityRank(rules: IdentityRules, type: IdentifierType): number {
  const rank = rules.priority.indexOf(type);
  return rank === -1 ? rules.priority.length : rank;
}

/**
 * The identifiers strongest first; within a type, in the order the upstream system gave them
 * (it puts a customer's primary email first). Exact repeats are dropped.
 */
export function byPriority(rules: IdentityRules, identifiers: readonly Identifier[]): Identifier[] {
  const seen = new Set<string>();
  const distinct = identifiers.filter((identifier) => {
    const key = `${identifier.type}:${identifier.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return distinct
    .map((identifier, position) => ({ identifier, position }))
    .sort(
      (a, b) =>
        priorityRank(rules, a.identifier.type) - priorityRank(rules, b.identifier.type) ||
        a.position - b.position,
    )
    .map(({ identifier }) => identifier);
}
