/**
 * Sample constituents and interactions for the stand-in `SRConsAPI`.
 * Interaction 1000 is the `getInteraction` example from Blackbaud's
 * documentation, field for field (`test/fixtures/luminate/getInteraction.json`);
 * the others cover what that example does not: no note, hostile and
 * non-ASCII text, a long note, and an email shared by two constituents.
 * For donor lists (`getUser`, `getUserInteractions`) there are donors with
 * a few hundred interactions, exactly one (the `getUserInteractions-one`
 * fixture), none, and a name that is hidden (missing) or null.
 */

/** An interaction as Luminate serialises it: every value a string, `note` optional. */
export type WireInteraction = Record<string, string | Record<string, string>>;

/** `getUser`'s `name` composite; a part may be null (visible but empty). */
export interface WireName {
  title: string | null;
  first: string | null;
  last: string | null;
}

export interface SampleConstituent {
  consId: string;
  memberId?: string;
  primaryEmail: string;
  /** Missing: the name is hidden from the caller (or disabled); null: visible but all its parts empty. */
  name?: WireName | null;
  interactions: WireInteraction[];
}

const JANE = '1001001';
const MANY = '1001010';
/** Interactions of `many@example.org`: enough pages of ten to page through. */
export const MANY_COUNT = 300;
/** Interaction types the sample uses in turn; 0 is Luminate's standard "Other", the others custom. */
const TYPE_CYCLE = ['1', '0', '2', '3'];

/**
 * `count` interactions, ids 2000 up, one every three days from 2020 on (oldest first, as stored);
 * custom types carry a note, as Luminate's lists do only for custom types.
 */
function manyInteractions(count: number): WireInteraction[] {
  const start = Date.UTC(2020, 0, 6, 15, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const interactionId = String(2000 + i);
    const creationDate = new Date(start + i * 3 * 86_400_000).toISOString().replace('Z', '+00:00');
    const interactionTypeId = TYPE_CYCLE[i % TYPE_CYCLE.length]!;
    const subject = `Contact ${i + 1} of ${count}`;
    return {
      creationDate,
      interactionTypeId,
      count: '1',
      createdBy: '1000002',
      consId: MANY,
      interactionId,
      subject,
      categoryId: '0',
      referenceId: '0',
      ...(interactionTypeId === '0' ? {} : { note: note(interactionId, MANY, subject, `Notes of contact ${i + 1}.`, creationDate) }),
    };
  });
}

function onlyInteraction(interactionId: string, consId: string): WireInteraction {
  return {
    creationDate: '2026-06-01T10:00:00.000-04:00',
    interactionTypeId: '0',
    count: '1',
    createdBy: '1000002',
    consId,
    interactionId,
    subject: 'Asked to be called back',
    categoryId: '0',
    referenceId: '0',
  };
}

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
    name: { title: null, first: 'Jane', last: 'Doe' },
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
  { consId: '1001002', primaryEmail: 'family@example.org', name: { title: null, first: 'Alex', last: 'Family' }, interactions: [] },
  { consId: '1001003', memberId: 'FAM-2', primaryEmail: 'family@example.org', name: { title: null, first: 'Sam', last: 'Family' }, interactions: [] },
  { consId: MANY, memberId: 'MANY-1', primaryEmail: 'many@example.org', name: { title: 'Dr.', first: 'Morgan', last: 'Manyfold' }, interactions: manyInteractions(MANY_COUNT) },
  {
    consId: '1001021',
    primaryEmail: 'one@example.org',
    name: { title: null, first: 'Olive', last: 'Single' },
    interactions: [
      {
        // `getUserInteractions-one.json`, field for field.
        creationDate: '2022-09-09T09:09:09.000-05:00',
        interactionTypeId: '0',
        count: '1',
        createdBy: '1001021',
        consId: '1001021',
        interactionId: '3100',
        subject: 'Only interaction',
        categoryId: '0',
        referenceId: '0',
      },
    ],
  },
  { consId: '1001030', primaryEmail: 'none@example.org', name: { title: null, first: 'Nora', last: 'Newcomer' }, interactions: [] },
  { consId: '1001040', primaryEmail: 'hidden@example.org', interactions: [onlyInteraction('3200', '1001040')] },
  { consId: '1001041', primaryEmail: 'nameless@example.org', name: null, interactions: [onlyInteraction('3300', '1001041')] },
];
