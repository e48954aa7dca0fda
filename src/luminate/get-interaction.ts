import { z } from 'zod';
import { LuminateBadResponseError, LuminateNotVisibleError } from './errors.js';
import { answersConsId, identifierParams, type InteractionRequest } from './identifiers.js';
import { interactionSchema, oneOrFirst, toInteractionRecord, type Interaction } from './schema.js';
import type { CallOptions, LuminateTransport } from './transport.js';

/**
 * `getInteractionResponse` itself may come back null or empty, or the whole answer be `{}` (an empty
 * response element dropped by the serialiser): no interaction, like a missing `interaction`. Only an
 * object with no keys at all counts as that; any other object without the element is the wrong shape.
 */
export const getInteractionResponseSchema = z.union([
  z.object({
    getInteractionResponse: z.union([z.object({ interaction: oneOrFirst(interactionSchema) }), z.null(), z.literal('')]),
  }),
  z.strictObject({}),
]);

/** Validated JSON → {@link Interaction}, or null when the response held no interaction. */
export function toInteraction(body: z.output<typeof getInteractionResponseSchema>): Interaction | null {
  const raw = 'getInteractionResponse' in body && body.getInteractionResponse ? body.getInteractionResponse.interaction : null;
  return raw ? toInteractionRecord(raw) : null;
}

/**
 * One interaction with its note. Luminate leaves out what the service account may not see,
 * so an answer without an interaction is "not found, or hidden" ({@link LuminateNotVisibleError}).
 */
export function getInteraction(transport: LuminateTransport, lookup: InteractionRequest, options?: CallOptions): Promise<Interaction> {
  return transport.read(
    {
      method: 'getInteraction',
      params: { interaction_id: String(lookup.interactionId), ...identifierParams(lookup.identifier) },
      schema: getInteractionResponseSchema,
      result: (answer, status) => {
        const interaction = toInteraction(answer);
        if (!interaction) throw new LuminateNotVisibleError();
        if (!answers(lookup, interaction)) {
          // No ids in the message: they would tie a donor to what was asked.
          throw new LuminateBadResponseError('Luminate answered about another interaction or constituent than the one asked for', status, { problem: 'mismatch' });
        }
        return interaction;
      },
    },
    options,
  );
}

/** The answer is about the interaction asked for (and the constituent, for a `cons:` lookup). */
function answers(lookup: InteractionRequest, interaction: Interaction): boolean {
  if (!/^\d{1,20}$/.test(interaction.interactionId) || Number(interaction.interactionId) !== lookup.interactionId) return false;
  return answersConsId(lookup.identifier, interaction.consId);
}
