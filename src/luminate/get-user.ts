import { z } from 'zod';
import { LuminateBadResponseError, LuminateNotVisibleError } from './errors.js';
import { answersConsId, identifierParams, type ConstituentIdentifier } from './identifiers.js';
import { scalar } from './schema.js';
import type { CallOptions, LuminateTransport } from './transport.js';

/** Who a donor is, as a card names them. Each part is null when Luminate hides it, leaves it empty or disables it. */
export interface Constituent {
  consId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

/** Only what a card shows: Luminate returns every field the site enables otherwise. */
const FIELDS = 'name.first,name.last,email.primary_address';

/** Text that may be missing, null, "null" or blank: all mean "nothing to show". */
const text = scalar.transform((v) => (v === null || v.trim() === '' ? null : v));

/**
 * A composite (`name`, `email`) is missing when disabled or hidden and `null` when all its parts
 * are empty; some serialisers write an empty element as "".
 */
const composite = <T extends z.ZodRawShape>(shape: T) =>
  z
    .union([z.object(shape), z.null(), z.literal('')])
    .optional()
    .transform((v) => (typeof v === 'object' && v !== null ? v : null));

const getUserResponseSchema = z.union([
  z.object({
    getConsResponse: z.union([
      z.object({
        cons_id: scalar,
        name: composite({ first: text, last: text }),
        email: composite({ primary_address: text }),
      }),
      z.null(),
      z.literal(''),
    ]),
  }),
  // An empty response element dropped by the serialiser, as getInteraction can answer.
  z.strictObject({}),
]);

/**
 * `getUser` (root `getConsResponse`): the donor's name and primary email. An unknown donor, or an
 * email several donors share, is an `errorResponse` as for `getInteraction`.
 */
export function getUser(transport: LuminateTransport, identifier: ConstituentIdentifier, options?: CallOptions): Promise<Constituent> {
  return transport.read(
    {
      method: 'getUser',
      params: { ...identifierParams(identifier), fields: FIELDS },
      schema: getUserResponseSchema,
      result: (answer, status) => {
        const cons = 'getConsResponse' in answer ? answer.getConsResponse : null;
        if (!cons) throw new LuminateNotVisibleError('a constituent');
        if (!answersConsId(identifier, cons.cons_id)) {
          throw new LuminateBadResponseError('Luminate answered about another constituent than the one asked for', status, { problem: 'mismatch' });
        }
        return {
          consId: cons.cons_id,
          firstName: cons.name?.first ?? null,
          lastName: cons.name?.last ?? null,
          email: cons.email?.primary_address ?? null,
        };
      },
    },
    options,
  );
}
