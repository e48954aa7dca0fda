import type { StandInLuminate } from '../../dev/stand-ins/luminate.js';
import type { StandInSlack } from '../../dev/stand-ins/slack.js';

export interface DoctorSecrets {
  token: string;
  signing: string;
  apiKey: string;
  password: string;
}

/** The environment `npm run doctor` reads, pointed at the stand-ins; a fresh object each time, for a test to change. */
export function doctorEnv(luminate: StandInLuminate, slack: StandInSlack, secrets: DoctorSecrets): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: secrets.token,
    SLACK_SIGNING_SECRET: secrets.signing,
    SLACK_API_URL: slack.apiUrl,
    LUMINATE_URL: luminate.url,
    LUMINATE_API_KEY: secrets.apiKey,
    LUMINATE_LOGIN_NAME: 'bot',
    LUMINATE_LOGIN_PASSWORD: secrets.password,
    LUMINATE_TIMEOUT_MS: '1000',
  };
}
