import { SAMPLE_CONSTITUENTS, type SampleConstituent } from '../stand-ins/sample-data.js';

/* Shared by the driver (run-bench.ts) and the stand-ins' process, which must not import each other. */

/** The SRConsAPI methods the bot calls: a card is getInteraction beside getUser, a list page getUserInteractions. */
export const UPSTREAM_METHODS = ['getInteraction', 'getUser', 'getUserInteractions'] as const;
export type UpstreamMethod = (typeof UPSTREAM_METHODS)[number];
/** The cons_id of the bench's `index`th extra donor (BENCH_DONORS of them, after the sample ones). */
export const benchDonorId = (index: number): string => String(2_000_000 + index);

/**
 * A cold card must make both of its calls (the donor's name is cached per donor), so each cold card
 * names a donor of its own: Jane's copy with its own cons_id, since the bot refuses an interaction
 * whose consId is not the one asked for.
 */
export function benchDonors(count: number): SampleConstituent[] {
  const jane = SAMPLE_CONSTITUENTS[0]!;
  const template = JSON.stringify({ ...jane, memberId: undefined, interactions: jane.interactions.slice(0, 1) });
  return Array.from({ length: count }, (_, i) => {
    const id = benchDonorId(i);
    const donor = JSON.parse(template.replaceAll(`"${jane.consId}"`, `"${id}"`)) as SampleConstituent;
    return { ...donor, primaryEmail: `donor${i}@bench.example.org` };
  });
}

