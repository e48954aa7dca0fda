import { config as loadDotenv } from 'dotenv';
import { formatReport, runDoctor } from './run-doctor.js';

/** `npm run doctor`: exits 1 when any check fails. */
loadDotenv({ quiet: true });
const checks = await runDoctor(process.env);
process.stdout.write(`${formatReport(checks)}\n`);
process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
