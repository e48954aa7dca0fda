import type { IdentifierKind, InteractionLookup } from '../luminate/lookup.js';
import { identifierValue } from '../luminate/lookup.js';
import { parseIdentifier, parseInteractionId } from './parse.js';

/**
 * What a card's buttons need to act again: the lookup, and where the card was
 * asked for (so Share posts there). Travels in a button's `value`; Slack signs
 * the payload it comes back in, but it is parsed as strictly as typed input.
 */
export interface CardReference {
  lookup: InteractionLookup;
  channelId: string | null;
  threadTs: string | null;
}

interface Wire {
  i: number;
  k: IdentifierKind;
  v: string;
  c?: string;
  t?: string;
}

export function encodeCardReference({ lookup, channelId, threadTs }: CardReference): string {
  const wire: Wire = { i: lookup.interactionId, k: lookup.identifier.kind, v: identifierValue(lookup.identifier) };
  if (channelId) wire.c = channelId;
  if (threadTs) wire.t = threadTs;
  return JSON.stringify(wire);
}

export function decodeCardReference(value: string | undefined): CardReference | null {
  let wire: Partial<Wire>;
  try {
    wire = JSON.parse(value ?? '') as Partial<Wire>;
  } catch {
    return null;
  }
  if (typeof wire !== 'object' || wire === null || typeof wire.v !== 'string') return null;
  const id = parseInteractionId(String(wire.i));
  const identifier = parseIdentifier(wire.k === 'email' ? wire.v : `${wire.k}:${wire.v}`);
  if (!id.ok || !identifier.ok || identifier.value.kind !== wire.k) return null;
  const slackId = (x: unknown) => (typeof x === 'string' && /^[A-Z0-9]{2,}$/.test(x) ? x : null);
  const ts = (x: unknown) => (typeof x === 'string' && /^\d+\.\d+$/.test(x) ? x : null);
  return { lookup: { interactionId: id.value, identifier: identifier.value }, channelId: slackId(wire.c), threadTs: ts(wire.t) };
}
