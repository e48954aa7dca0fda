import type { Clock } from '../clock.js';
import type { Constituent, DonorSource, InteractionSummary } from '../luminate/client.js';
import type { ConstituentIdentifier } from '../luminate/identifiers.js';
import type { InteractionToLog } from '../luminate/log-interaction.js';
import type { Logger } from '../observability/logger.js';
import type { Caches } from './caches.js';
import type { CardData } from './outcomes.js';

/** Rows read to find the new interaction: it is the newest, unless someone logged on the same donor at the same moment. */
const FIND_ROWS = 10;
/** Luminate's clock and ours may differ; a row this far either side of the write still counts as "now". */
const CLOCK_SLACK_MS = 10 * 60_000;

export interface FindLoggedDeps {
  luminate: Pick<DonorSource, 'getUserInteractions'>;
  caches: Caches;
  logger: Logger;
  clock: Clock;
  /** Drops these donors' cached lists; never rejects. */
  dropLists(identifiers: ConstituentIdentifier[]): Promise<void>;
}

/**
 * After a write: the new interaction, newest first with the same subject and a creation time near the
 * write (`logInteraction` does not say its id), and the donor's lists dropped under every name they are
 * known by. Whatever fails here, the write stands.
 */
export async function findLogged(
  { luminate, caches, logger, clock, dropLists }: FindLoggedDeps,
  entry: InteractionToLog,
  sentAt: number,
  consId: string | null,
): Promise<{ card: CardData | null; donor?: Constituent; consId: string | null }> {
  const { identifier } = entry;
  await dropLists([identifier, ...(consId ? [consIdentifier(consId)] : [])]);
  const donor = caches.donors ? caches.donors.inGrace(caches.donors.read(identifier)) : Promise.resolve(undefined);
  let row: InteractionSummary | undefined;
  try {
    const rows = await luminate.getUserInteractions({ identifier, pageSize: FIND_ROWS, offset: 0, newestFirst: true });
    const now = clock();
    row = rows.find((r) => r.subject === entry.subject && near(r.creationDate, sentAt, now));
  } catch (error) {
    logger.warn('logged, but the donor list could not be read to find the new interaction', { error, identifierKind: identifier.kind });
  }
  const named = await donor.catch(() => undefined);
  const known = consId ?? row?.consId ?? named?.consId ?? (identifier.kind === 'cons' ? identifier.consId : null);
  // The same donor's lists cached under their other names (asked for by cons: or by email).
  await dropLists([...(known && known !== consId ? [consIdentifier(known)] : []), ...(named?.email ? [{ kind: 'email', email: named.email } as const] : [])]);
  if (!row) return { card: null, donor: named, consId: known };
  const fetchedAt = clock();
  try {
    const full = await caches.interactions.get({ interactionId: Number(row.interactionId), identifier });
    return { card: { interaction: full.interaction, fetchedAt: full.fetchedAt, cached: false, donor: named }, donor: named, consId: known };
  } catch (error) {
    logger.warn('logged and found, but its full record could not be read', { error, identifierKind: identifier.kind });
    return { card: { interaction: { ...row, note: null }, fetchedAt, cached: false, donor: named }, donor: named, consId: known };
  }
}

const consIdentifier = (consId: string): ConstituentIdentifier => ({ kind: 'cons', consId });

function near(iso: string | null, sentAt: number, now: number): boolean {
  const at = iso ? Date.parse(iso) : Number.NaN;
  return !Number.isNaN(at) && at >= sentAt - CLOCK_SLACK_MS && at <= now + CLOCK_SLACK_MS;
}
