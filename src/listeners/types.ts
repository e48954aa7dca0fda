import type { webApi } from '@slack/bolt';
import type { ChannelExposureCheck } from '../access/channel-exposure.js';
import type { AuditLog } from '../observability/audit.js';
import type { Logger } from '../observability/logger.js';
import type { ModalOrigins } from '../slack/lookup-modal.js';
import type { ResponseUrls } from '../slack/response-url.js';
import type { WorkTracker } from '../work-tracker.js';
import type { ListFlow } from './list-flow.js';
import type { LookupFlow } from './lookup-flow.js';

/** What listeners need, passed in so tests build the app with stand-ins. */
export interface ListenerDependencies {
  /** Access check, lookup and audit, for every surface. */
  flow: LookupFlow;
  /** The same for a donor's list of interactions. */
  lists: ListFlow;
  /** LUMINATE_INTERACTION_TYPES: `type:` filters may name a type. */
  typeNames: ReadonlyMap<string, string>;
  audit: AuditLog;
  /** Whether a conversation is internal to the organisation (conversations.info): Share posts nowhere else. */
  channels: Pick<ChannelExposureCheck, 'check'>;
  /** Posts to payloads' response_urls. */
  responseUrls: ResponseUrls;
  /** Seals and verifies where a modal was opened from. */
  origins: ModalOrigins;
  /** views.open on a Web API client of its own: a trigger_id lives about 3 s, so it must not queue behind other calls. */
  views: Pick<webApi.WebClient['views'], 'open'>;
  /** Work after `ack()`, drained on shutdown. */
  work: WorkTracker;
  logger: Logger;
  /** After this long without an answer, tell the person the lookup is still going. */
  slowNoticeMs: number;
}
