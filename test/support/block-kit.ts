import type { types } from '@slack/bolt';
import { expect } from 'vitest';
import { LIMITS } from '../../src/slack/render/mrkdwn.js';
import type { SlackMessageBody } from './system.js';

/** Block Kit limits the bot never comes near by construction, checked here all the same. */
export const CHECKED_LIMITS = { sectionFields: 10, contextElements: 10, buttonText: 75 } as const;

/** Every Block Kit limit a list can reach, whatever the data. */
export function checkBlockKit(message: SlackMessageBody): void {
  const blocks = message.blocks ?? [];
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect((message.text ?? '').length).toBeLessThanOrEqual(LIMITS.fallbackText);
  for (const block of blocks as unknown as Record<string, unknown>[]) {
    if (block.type === 'section') {
      const text = block.text as { text: string } | undefined;
      if (text) expect(text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      const accessory = block.accessory as types.Button | undefined;
      if (accessory) {
        expect(accessory.value!.length).toBeLessThanOrEqual(LIMITS.buttonValue);
        expect(accessory.text.text.length).toBeLessThanOrEqual(CHECKED_LIMITS.buttonText);
      }
    }
    if (block.type === 'context') {
      const elements = block.elements as { text: string }[];
      expect(elements.length).toBeLessThanOrEqual(CHECKED_LIMITS.contextElements);
      for (const e of elements) expect(e.text.length).toBeLessThanOrEqual(LIMITS.contextText);
    }
    if (block.type === 'actions') {
      const elements = block.elements as types.Button[];
      expect(elements.length).toBeLessThanOrEqual(25);
      for (const e of elements) expect((e.value ?? '').length).toBeLessThanOrEqual(LIMITS.buttonValue);
    }
  }
}
