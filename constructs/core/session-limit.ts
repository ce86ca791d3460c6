/**
 * Safeguard A4, automatic logoff (HIPAA 164.312(a)(2)(iii)): the one definition of how long a session
 * may last. Every place that bounds a session reads it from here: config validation
 * (`app.sessionTimeoutMinutes`), the load balancer's sign-in session (SecureLoadBalancer), the Cognito
 * token validity (AppUserPool), the Session Manager idle timeout (SessionManagerPreferences), and the
 * evidence that claims A4 on a resource.
 */
export const SESSION_LIMIT_MINUTES = 15;

/** Cognito's shortest access and ID token validity (a session limit below it shortens the load balancer session only). */
export const COGNITO_MIN_TOKEN_VALIDITY_MINUTES = 5;
