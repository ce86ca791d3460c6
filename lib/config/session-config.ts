import { COGNITO_MIN_TOKEN_VALIDITY_MINUTES, SESSION_LIMIT_MINUTES } from '../../constructs/core/session-limit';

/** Application sign-in sessions (safeguards A2, A4). */
export interface AppSessionConfig {
  /**
   * Minutes an authenticated application session lasts before the user signs in again (with MFA):
   * the load balancer's authentication session timeout and the upper bound of the Cognito access and
   * ID token validity. Safeguard A4 (automatic logoff, 164.312(a)(2)(iii)): 1 to 15; Cognito tokens
   * cannot be shorter than 5 minutes, so values below 5 shorten the load balancer session only.
   * @default 15
   */
  readonly sessionTimeoutMinutes: number;
}

/** Safeguard A4: application sessions end after at most the session limit (constructs/core/session-limit.ts). */
export const MAX_SESSION_TIMEOUT_MINUTES = SESSION_LIMIT_MINUTES;
export { COGNITO_MIN_TOKEN_VALIDITY_MINUTES };

/** Problems of the `app` section, each naming field, value and rule. Pure. */
export function appSessionConfigProblems(app: AppSessionConfig | undefined): string[] {
  const minutes = app?.sessionTimeoutMinutes;
  if (!Number.isInteger(minutes) || (minutes as number) < 1 || (minutes as number) > MAX_SESSION_TIMEOUT_MINUTES) {
    return [
      `app.sessionTimeoutMinutes = ${JSON.stringify(minutes) ?? String(minutes)}: must be a whole number of minutes from 1 to ${MAX_SESSION_TIMEOUT_MINUTES} (safeguard A4, automatic logoff, 164.312(a)(2)(iii))`,
    ];
  }
  return [];
}
