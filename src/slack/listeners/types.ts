import type { webApi } from '@slack/bolt';
import type { ChannelExposureCheck } from '../../access/channel-exposure.js';
import type { AuditLog } from '../../observability/audit.js';
import type { Logger } from '../../observability/logger.js';
import type { InteractionService } from '../../service/interaction-service.js';
import type { LogService } from '../../service/log-service.js';
import type { Answers } from '../answer.js';
import type { SlackDirectory } from '../slack-directory.js';
import type { ModalOrigins } from '../modal-origin.js';
import type { ResponseUrls } from '../response-url.js';
import type { WorkTracker } from '../../work-tracker.js';

/** What listeners need, passed in so tests build the app with stand-ins. */
export interface ListenerDependencies {
  /** Access check, rate limit, cache or Luminate, and audit, for every surface: cards and lists. */
  service: InteractionService;
  /** "Log to Luminate": the bot's one write, with its own checks (LUMINATE_LOGGING_ENABLED, SLACK_ALLOWED_LOGGERS). */
  logs: LogService;
  /** Display names, channel names and permalinks for a log's note and provenance line. */
  directory: SlackDirectory;
  /** The service's outcomes as messages. */
  answers: Answers;
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
