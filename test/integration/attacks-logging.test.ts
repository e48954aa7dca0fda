import { describe, expect, it } from 'vitest';
import { logShortcut, logSubmission } from '../support/payloads.js';
import { sealedOrigin, useStandInSystem, waitUntil } from '../support/system.js';

/**
 * Attacks on Log to Luminate (the bot's one write), each `it` one finding that fails until the product is
 * fixed (see the finding's comment for the severity and the suggested fix).
 */

const OTHER_TEAM = { id: 'T0OTHER', domain: 'other' };

describe('attack: Log to Luminate from another workspace', () => {
  const system = useStandInSystem({ env: { LUMINATE_LOGGING_ENABLED: 'true' } });

  // Finding (low): workspaceGuard audits every refused request as `interaction.lookup` with a lookup surface
  // (`message_shortcut`, `modal`), so an attempt to WRITE from another workspace never appears as an
  // `interaction.log` line: an operator watching the audit event for logging sees nothing. Nothing is
  // sent (the refusal itself holds). Fix: in request-guards.ts map `callback_id` log_interaction_from_message /
  // log_interaction_modal to surfaces log_shortcut / log_form and write `audit.log({... outcome: 'denied'})`
  // (the interaction.log shape) for them.
  it('audits a refused log shortcut and log form as interaction.log, denied', async () => {
    const shortcut = { ...logShortcut({ text: 'Talked to jane@example.org', responseUrl: system.slack.newResponseUrl(), user: 'U0AWAY' }), team: OTHER_TEAM };
    expect((await system.interact(shortcut)).status).toBe(200);
    const form = logSubmission({ donor: 'jane@example.org', subject: 'From elsewhere', note: '', privateMetadata: sealedOrigin(system, 'C0DONORS'), user: 'U0AWAY', viewId: 'V0AWAY' });
    expect((await system.interact({ ...form, team: OTHER_TEAM, user: { ...form.user, team_id: OTHER_TEAM.id } })).status).toBe(200);
    await waitUntil(() => system.audit.length >= 2, 5000, 'both refusals to be audited');
    expect(system.luminate.logCount).toBe(0);
    expect(system.audit).toEqual([
      expect.objectContaining({ event: 'interaction.log', team: 'T0OTHER', surface: 'log_shortcut', outcome: 'denied' }),
      expect.objectContaining({ event: 'interaction.log', team: 'T0OTHER', surface: 'log_form', outcome: 'denied' }),
    ]);
  });
});
