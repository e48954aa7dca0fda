import type { App } from '@slack/bolt';
import { LOG_FORM } from '../../render/log-form.js';
import { LOOKUP_MODAL } from '../../render/lookup-modal.js';
import { logFormSubmission } from './log-form-submission.js';
import type { ListenerDependencies } from '../types.js';
import { lookupModalSubmission } from './lookup-modal-submission.js';

export function registerViews(app: App, deps: ListenerDependencies): void {
  app.view(LOOKUP_MODAL.callbackId, lookupModalSubmission(deps));
  app.view(LOG_FORM.callbackId, logFormSubmission(deps));
}
