import type { LookupAnswers } from '../lookup/answer-lookups.js';
import type { Logger } from '../logger.js';
import type { WorkTracker } from '../work-tracker.js';

/** What listeners need, passed in so tests build the app with stand-ins. */
export interface ListenerDependencies {
  answers: LookupAnswers;
  /** Work after `ack()`, drained on shutdown. */
  work: WorkTracker;
  logger: Logger;
  /** After this long without an answer, tell the person the lookup is still going. */
  slowNoticeMs: number;
}
