import { z } from 'zod';
import { LuminateBadResponseError } from './errors.js';
import { answersConsId, identifierParams, type ConstituentIdentifier } from './identifiers.js';
import { interactionSchema, oneOrMany, toInteractionRecord, type Interaction } from './schema.js';
import type { CallOptions, LuminateTransport } from './transport.js';

/** A row of a donor's history. Lists carry notes only for custom types, so a note always comes from `getInteraction`. */
export type InteractionSummary = Omit<Interaction, 'note'>;

/** One page of one donor's interactions, as `getUserInteractions` can filter and page them. */
export interface InteractionListQuery {
  identifier: ConstituentIdentifier;
  /** Rows asked for (`list_page_size`). No total is documented: ask one more than shown to learn whether more exist. */
  pageSize: number;
  /** Rows skipped (`list_record_offset`, the first is 0). */
  offset: number;
  /** Newest first (`list_ascending=false`); Luminate's default is ascending. Default true. */
  newestFirst?: boolean;
  /** `begin_date` and `end_date`: xsd:dateTime (ISO 8601), e.g. `2025-01-01T00:00:00`. */
  since?: string;
  until?: string;
  /** `interaction_type_id`: 0 ("Other") or a custom type's id. */
  typeId?: number;
}

/** Most rows asked for at once: a page of a list, plus one to tell whether there is another. */
const MAX_PAGE_SIZE = 100;

/** `YYYY-MM-DD`, optionally with a time and an offset: what xsd:dateTime accepts, and nothing that could smuggle text. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

const getUserInteractionsResponseSchema = z.union([
  z.object({
    getUserInteractionsResponse: z.union([z.object({ interaction: oneOrMany(interactionSchema) }), z.null(), z.literal('')]),
  }),
  z.strictObject({}),
]);

/**
 * `getUserInteractions`: a page of one donor's interactions, in Luminate's order (newest first
 * unless asked otherwise). An empty array is a donor with no interactions (in this range), not
 * an error; an unknown donor is an `errorResponse` as for `getInteraction`.
 */
export async function getUserInteractions(transport: LuminateTransport, query: InteractionListQuery, options?: CallOptions): Promise<InteractionSummary[]> {
  return transport.read(
    {
      method: 'getUserInteractions',
      params: listParams(query),
      schema: getUserInteractionsResponseSchema,
      result: (answer, status) => {
        const items = 'getUserInteractionsResponse' in answer && answer.getUserInteractionsResponse ? answer.getUserInteractionsResponse.interaction : [];
        return items.map((raw) => {
          const { note: _note, ...summary } = toInteractionRecord(raw);
          if (!answersConsId(query.identifier, summary.consId)) {
            throw new LuminateBadResponseError('Luminate listed interactions of another constituent than the one asked for', status, { problem: 'mismatch' });
          }
          return summary;
        });
      },
    },
    options,
  );
}

/** The query as Luminate's parameters; a query the bot should never build is a bug, thrown before any call. */
function listParams({ identifier, pageSize, offset, newestFirst = true, since, until, typeId }: InteractionListQuery): Record<string, string> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new RangeError(`pageSize must be 1 to ${MAX_PAGE_SIZE}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError('offset must be a non-negative integer');
  if (typeId !== undefined && (!Number.isSafeInteger(typeId) || typeId < 0)) throw new RangeError('typeId must be a non-negative integer');
  for (const date of [since, until]) if (date !== undefined && !DATE_TIME.test(date)) throw new RangeError('since and until must be ISO 8601 dates');
  return {
    ...identifierParams(identifier),
    list_page_size: String(pageSize),
    list_record_offset: String(offset),
    list_ascending: String(!newestFirst),
    ...(since !== undefined ? { begin_date: since } : {}),
    ...(until !== undefined ? { end_date: until } : {}),
    ...(typeId !== undefined ? { interaction_type_id: String(typeId) } : {}),
  };
}
