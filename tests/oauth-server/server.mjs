// Starts oauth2-mock-server, a real OAuth 2.0 server (authorization code with PKCE, client
// credentials, password, refresh and revocation), on a free loopback port for the OAuth tests.
//
// It prints its URL as the first line on stdout, then one line per request the tests check:
//   token <grant_type> <how the client authenticated: basic|body|none> <scope or ->
//   revoke <token_type_hint or -> <how the client authenticated>
//   sync                 (for each GET /userinfo: what was logged before it has been read)
// and exits when its stdin closes (the test that started it ended) or on SIGTERM.
//
// Settings, from the environment:
//   OAUTH_TEST_EXPIRES_IN   the access tokens' lifetime in seconds (default 3600)
//   OAUTH_TEST_REFUSE       a grant type the token endpoint refuses with `invalid_grant`
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
const { port } = server.address();
server.issuer.url = `http://127.0.0.1:${port}`;

const say = (line) => process.stdout.write(`${line}\n`);
const clientAuth = (req, body) => {
  if ((req.headers.authorization || '').startsWith('Basic ')) return 'basic';
  return body && body.client_secret ? 'body' : 'none';
};

const expiresIn = process.env.OAUTH_TEST_EXPIRES_IN;
const refuse = process.env.OAUTH_TEST_REFUSE;
server.service.on('beforeTokenSigning', (token) => {
  if (expiresIn !== undefined) token.payload.exp = Math.floor(Date.now() / 1000) + Number(expiresIn);
});
server.service.on('beforeResponse', (response, req) => {
  const body = req.body || {};
  say(`token ${body.grant_type} ${clientAuth(req, body)} ${body.scope || '-'}`);
  if (expiresIn !== undefined) response.body.expires_in = Number(expiresIn);
  if (refuse && body.grant_type === refuse) {
    response.statusCode = 400;
    response.body = { error: 'invalid_grant', error_description: 'refused by the test' };
  }
});
server.service.on('beforeUserinfo', () => say('sync'));
server.service.on('beforeRevoke', (_response, req) => {
  // The revocation endpoint does not read its form; read it here to see what was revoked.
  let text = '';
  req.on('data', (chunk) => { text += chunk; });
  req.on('end', () => {
    const form = new URLSearchParams(text);
    say(`revoke ${form.get('token_type_hint') || '-'} ${clientAuth(req, Object.fromEntries(form))}`);
  });
});

const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

say(server.issuer.url);
