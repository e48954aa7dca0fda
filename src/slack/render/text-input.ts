import type { types } from '@slack/bolt';

/** A form's text field; `initial` is cut to `maxLength`, which Slack would otherwise refuse the view for. */
export function textInput({
  blockId,
  actionId,
  label,
  hint,
  placeholder,
  maxLength,
  initial,
  multiline = false,
}: {
  blockId: string;
  actionId: string;
  label: string;
  hint: string;
  placeholder?: string;
  maxLength: number;
  initial?: string;
  multiline?: boolean;
}): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: hint },
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      ...(placeholder ? { placeholder: { type: 'plain_text', text: placeholder } } : {}),
      ...(multiline ? { multiline } : {}),
      max_length: maxLength,
      ...(initial ? { initial_value: initial.slice(0, maxLength) } : {}),
    },
  };
}
