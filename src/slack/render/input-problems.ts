import type { InputProblem, NumberTrouble } from '../../service/requests.js';
import { stripBidiControls } from '../../unicode.js';

const MAX_ECHO = 60;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu;

/** Quotes what someone typed, shortened, so a problem message never grows with hostile input. */
function echo(input: string): string {
  // Bidirectional controls would let the quote display as different text than was typed.
  const chars = [...stripBidiControls(input).slice(0, 4 * MAX_ECHO).replace(CONTROLS, ' ')];
  return `"${chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO - 1).join('')}…` : chars.join('')}"`;
}

function badNumber(input: string, trouble: NumberTrouble, what: string): string {
  return trouble === 'too_large' ? `${echo(input)} is too large to be ${what}.` : `${echo(input)} is not ${what}: use digits only, e.g. 1000.`;
}

/**
 * The words for what is wrong with typed input: plain text that quotes the input shortened and
 * without control characters, so it fits a modal's inline error as is (escape it for mrkdwn).
 */
export function describeInputProblem(problem: InputProblem): string {
  switch (problem.kind) {
    case 'bad_interaction_id':
      return badNumber(problem.input, problem.trouble, 'an interaction id');
    case 'bad_cons_id':
      return badNumber(problem.input, problem.trouble, 'a constituent id');
    case 'bad_type_id':
      return badNumber(problem.input, problem.trouble, 'an interaction type id');
    case 'bad_member_id':
      return `${echo(problem.input)} is not a member id: give it without spaces, e.g. member:JD-1001.`;
    case 'bad_email':
      return `${echo(problem.input)} is not a valid email address.`;
    case 'not_a_donor':
      return `${echo(problem.input)} is not a donor identifier: give an email address, cons:<constituent id> or member:<member id>.`;
    case 'not_a_filter':
      return `${echo(problem.input)} is not a filter: use since:YYYY-MM-DD, until:YYYY-MM-DD or type:<id or name>.`;
    case 'repeated_filter':
      return `${problem.field}: is given twice: give each filter once.`;
    case 'bad_date':
      return `${echo(problem.input)} is not a date for ${problem.field}: use YYYY-MM-DD, e.g. ${problem.field}:2025-01-31.`;
    case 'empty_range':
      return `since:${problem.since} is after until:${problem.until}: nothing could match.`;
    case 'missing_type':
      return 'type: needs an interaction type id or name, e.g. type:0.';
    case 'unknown_type': {
      const known = problem.known.map((name) => echo(name)).join(', ');
      return `${echo(problem.input)} is not an interaction type: use its id${known ? ` or one of ${known}` : ''}, e.g. type:0.`;
    }
    case 'too_long':
      return `That is ${problem.length} characters, longer than any lookup: give the interaction id, then one email address, cons:<id> or member:<id>.`;
    case 'missing_donor':
      return 'Give both the interaction id and the donor: an email address, cons:<id> or member:<id>.';
    case 'too_many_words':
      return 'Too many words: give the interaction id, then one email address, cons:<id> or member:<id>.';
  }
}
