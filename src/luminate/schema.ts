import { z } from 'zod';

/** A constituent interaction as the bot uses it. Ids stay strings: Luminate sends strings and ids are never arithmetic. */
export interface Interaction {
  interactionId: string;
  typeId: string | null;
  categoryId: string | null;
  consId: string | null;
  createdBy: string | null;
  /** ISO 8601 as Luminate sent it, e.g. `2016-02-01T09:43:35.159-06:00`. */
  creationDate: string | null;
  subject: string | null;
  note: InteractionNote | null;
}

export interface InteractionNote {
  type: string | null;
  text: string | null;
  createdBy: string | null;
  creationDate: string | null;
  modifiedBy: string | null;
  modifiedDate: string | null;
}

/**
 * Luminate sends every scalar as a string, but a proxy or a future version may
 * send a number; a missing field is hidden for the caller and `null` is visible
 * but empty. Both become null here, and so does the string "null", which some
 * sites' serialisers write for an empty value: it must never be shown.
 */
export const scalar = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === 'null' ? null : String(v)));

/** A list with one item arrives as a bare object; the bot needs only the first. */
export const oneOrFirst = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item)])
    .optional()
    .nullable()
    .transform((v) => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null)));

/**
 * Luminate's lists: several items are an array, exactly one a bare object, none a missing key
 * (or, from some serialisers, null or an empty string). Always an array here.
 */
export const oneOrMany = <T extends z.ZodType>(item: T) =>
  z
    .union([z.array(item), item, z.null(), z.literal('')])
    .optional()
    .transform((v): z.output<T>[] => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]));

const noteSchema = z.object({
  type: scalar,
  text: scalar,
  createdBy: scalar,
  creationDate: scalar,
  modifiedBy: scalar,
  modifiedDate: scalar,
});

export const interactionSchema = z.object({
  interactionId: z.union([z.string().min(1), z.number()]).transform(String),
  interactionTypeId: scalar,
  categoryId: scalar,
  consId: scalar,
  createdBy: scalar,
  creationDate: scalar,
  subject: scalar,
  note: oneOrFirst(noteSchema),
});

export const errorResponseSchema = z.object({
  errorResponse: z.object({
    code: z.union([z.string(), z.number()]).transform(String),
    message: scalar,
  }),
});

/** One validated `interaction` item → {@link Interaction}. */
export function toInteractionRecord(raw: z.output<typeof interactionSchema>): Interaction {
  // Built as literals, and a note's dates kept as the very strings of the interaction's when they are
  // equal, as they are until a note is edited: the cache holds thousands of these records.
  const note = raw.note && {
    type: raw.note.type,
    text: raw.note.text,
    createdBy: sameString(raw.note.createdBy, raw.createdBy),
    creationDate: sameString(raw.note.creationDate, raw.creationDate),
    modifiedBy: sameString(raw.note.modifiedBy, raw.createdBy),
    modifiedDate: sameString(raw.note.modifiedDate, raw.creationDate),
  };
  return {
    interactionId: raw.interactionId,
    typeId: raw.interactionTypeId,
    categoryId: raw.categoryId,
    consId: raw.consId,
    createdBy: raw.createdBy,
    creationDate: raw.creationDate,
    subject: raw.subject,
    note,
  };
}

/** `earlier` when it equals `value`, so that two equal strings are stored once. */
function sameString(value: string | null, earlier: string | null): string | null {
  return value === earlier ? earlier : value;
}
