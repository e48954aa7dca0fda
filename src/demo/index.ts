import { runDemo } from './run-demo.js';

/** `npm run demo [-- <interaction_id> <identifier>]`; `DEMO_LOGS=1` shows the bot's log lines on stderr. */
const text = process.argv.slice(2).join(' ').trim() || '1000 jane@example.org';
const out = (line = '') => process.stdout.write(`${line}\n`);

await runDemo(text, out, { logTo: process.env.DEMO_LOGS ? (line) => process.stderr.write(line) : undefined });
out('More to try:');
out('  npm run demo -- 1002 cons:1001001        hostile and non-ASCII text, escaped');
out('  npm run demo -- 1001 member:JD-1001      an interaction without a note');
out('  npm run demo -- 1000 family@example.org  an email two donors share');
out('  npm run demo -- 9999 jane@example.org    not found');
out('  npm run demo -- help');
