/**
 * Sample constituents and interactions for the stand-in `SRConsAPI`.
 * Interaction 1000 is the `getInteraction` example from Blackbaud's
 * documentation, field for field (`test/fixtures/luminate/getInteraction.json`);
 * the others cover what that example does not: no note, hostile and
 * non-ASCII text, a long note, and an email shared by two constituents.
 */

/** An interaction as Luminate serialises it: every value a string, `note` optional. */
export type WireInteraction = Record<string, string | Record<string, string>>;

export interface SampleConstituent {
  consId: string;
  memberId?: string;
  primaryEmail: string;
  interactions: WireInteraction[];
}

const JANE = '1001001';

function note(interactionId: string, consId: string, subject: string, text: string, modifiedDate: string): Record<string, string> {
  return {
    creationDate: modifiedDate,
    text,
    interactionId,
    createdBy: consId,
    consId,
    typeOfConsNote: 'normal',
    subject,
    modifiedBy: consId,
    categoryId: '0',
    noteId: interactionId,
    type: 'comment',
    modifiedDate,
  };
}

export const SAMPLE_CONSTITUENTS: readonly SampleConstituent[] = [
  {
    consId: JANE,
    memberId: 'JD-1001',
    primaryEmail: 'jane@example.org',
    interactions: [
      {
        // Blackbaud's documented example response, key order included.
        creationDate: '2016-02-01T09:43:35.159-06:00',
        interactionTypeId: '1',
        count: '1',
        createdBy: JANE,
        consId: JANE,
        interactionId: '1000',
        subject: 'Sample Subject',
        categoryId: '0',
        referenceId: '0',
        note: note('1000', JANE, 'Sample Subject', 'Lorem ipsum dolor sit amet, consetetur sadipscing', '2016-02-01T09:43:35.159-06:00'),
      },
      {
        creationDate: '2026-10-14T16:05:00.000-04:00',
        interactionTypeId: '0',
        count: '1',
        createdBy: '1000002',
        consId: JANE,
        interactionId: '1001',
        subject: 'Phone call: Gift Aid question',
        categoryId: '2',
        referenceId: '0',
      },
      {
        creationDate: '2026-11-02T08:30:12.000+01:00',
        interactionTypeId: '3',
        count: '1',
        createdBy: '1000002',
        consId: JANE,
        interactionId: '1002',
        subject: 'Re: <!channel> Zoë’s 5 € gift & thanks 🎉',
        categoryId: '1',
        referenceId: '0',
        note: note(
          '1002',
          JANE,
          'Re: <!channel> Zoë’s 5 € gift & thanks 🎉',
          'Donor wrote: "please tell <@U024BE7LH> & <!here>"\nShe also sent <https://evil.example/|a receipt> — 日本語 ok.\n> not a quote',
          '2026-11-03T10:00:00.000+01:00',
        ),
      },
      {
        creationDate: '2026-11-20T12:00:00.000Z',
        interactionTypeId: '1',
        count: '1',
        createdBy: '1000002',
        consId: JANE,
        interactionId: '1003',
        subject: 'Long call notes',
        categoryId: '0',
        referenceId: '0',
        note: note('1003', JANE, 'Long call notes', 'Talked through the pledge schedule & payment options. '.repeat(120), '2026-11-20T12:30:00.000Z'),
      },
    ],
  },
  { consId: '1001002', primaryEmail: 'family@example.org', interactions: [] },
  { consId: '1001003', memberId: 'FAM-2', primaryEmail: 'family@example.org', interactions: [] },
];
