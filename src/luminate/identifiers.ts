/** Who the interaction belongs to, in the three ways `getInteraction` accepts. */
export type ConstituentIdentifier =
  | { kind: 'email'; email: string }
  | { kind: 'cons'; consId: string }
  | { kind: 'member'; memberId: string };

export type IdentifierKind = ConstituentIdentifier['kind'];

/** One `getInteraction` question (an interaction of one constituent), already validated and normalised. */
export interface InteractionRequest {
  /** A safe integer, so it can be logged and compared as a number. */
  interactionId: number;
  identifier: ConstituentIdentifier;
}

export function identifierValue(identifier: ConstituentIdentifier): string {
  switch (identifier.kind) {
    case 'email':
      return identifier.email;
    case 'cons':
      return identifier.consId;
    case 'member':
      return identifier.memberId;
  }
}

/** How a person would write the identifier back: `jane@example.org`, `cons:1001001`, `member:JD-1`. */
export function formatIdentifier(identifier: ConstituentIdentifier): string {
  return identifier.kind === 'email' ? identifier.email : `${identifier.kind}:${identifierValue(identifier)}`;
}

/**
 * The constituent an identifier names, as a cache key. The parser has stripped leading zeros; an email's case
 * is folded here only: it is sent to Luminate as typed (case-insensitive matching is undocumented).
 */
export function identifierKey(identifier: ConstituentIdentifier): string {
  const value = identifierValue(identifier);
  return `${identifier.kind}|${identifier.kind === 'email' ? value.toLowerCase() : value}`;
}

/** Equivalent requests share a key. */
export function interactionKey(request: InteractionRequest): string {
  return `${request.interactionId}|${identifierKey(request.identifier)}`;
}

/** The one identifier parameter Luminate's constituent methods take (sending several would let precedence pick). */
export function identifierParams(identifier: ConstituentIdentifier): Record<string, string> {
  switch (identifier.kind) {
    case 'cons':
      return { cons_id: identifier.consId };
    case 'member':
      return { member_id: identifier.memberId };
    case 'email':
      return { primary_email: identifier.email };
  }
}

/** Whether an answer's constituent id is the one a `cons:` question asked about; a hidden (null) id is not a mismatch. */
export function answersConsId(identifier: ConstituentIdentifier, consId: string | null): boolean {
  if (identifier.kind !== 'cons' || consId === null) return true;
  return consId.replace(/^0+(?=\d)/, '') === identifier.consId.replace(/^0+(?=\d)/, '');
}
