import { runLogDemo } from './log-demo.js';
import { MORE_TO_TRY, runDemo } from './run-demo.js';

/** `npm run demo [-- <interaction_id> <identifier>]`; `DEMO_LOGS=1` shows the bot's log lines on stderr. */
const text = process.argv.slice(2).join(' ').trim() || '1000 jane@example.org';
const out = (line = '') => process.stdout.write(`${line}\n`);

const logTo = process.env.DEMO_LOGS ? (line: string) => process.stderr.write(line) : undefined;
if (text === 'log') await runLogDemo(out, { logTo });
else await runDemo(text, out, { logTo });
out('More to try:');
const width = Math.max(...MORE_TO_TRY.map(([args]) => args.length));
for (const [args, shows] of MORE_TO_TRY) out(`  npm run demo -- ${args.padEnd(width)}  ${shows}`);
out('  DEMO_LOGS=1 npm run demo' + ' '.repeat(width - 8) + "  also show the bot's log and audit lines (stderr)");
