/** What the home page shows. */
export interface HomePageProps {
  /** The signed-in user's stable id (x-amzn-oidc-identity), or null. */
  readonly userId: string | null;
  /** Link to a sample record, e.g. '/records/rec-0001'. */
  readonly recordsPath: string;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The first page a fresh deploy serves behind Cognito: who is signed in, by stable id only (never a
 * name or e-mail), and a link to the PHI endpoint. No PHI, no script, no external resource.
 */
export function homePage(props: HomePageProps): string {
  const who =
    props.userId === null
      ? '<p>No signed-in user was forwarded by the load balancer.</p>'
      : `<p>Signed in as user id <code>${escapeHtml(props.userId)}</code>.</p>`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>Sample API</title></head>',
    '<body>',
    '<h1>Sample API</h1>',
    '<p>This service is running behind the load balancer, with Cognito sign-in and TLS end to end.</p>',
    who,
    `<p>Try a synthetic record: <a href="${escapeHtml(props.recordsPath)}">${escapeHtml(props.recordsPath)}</a>.`,
    'Every record request is written to the access-audit trail before it is answered.</p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
