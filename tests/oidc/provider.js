// A real OpenID Connect provider (npm's certified oidc-provider) on loopback for the tests.
//
// Listens on 127.0.0.1 at a free port and prints its issuer URL on one line when ready.
// Clients register themselves (dynamic registration, /reg). The sign-in page takes any name as
// the account (its e-mail and preferred_username are the name) and, for the tests, the acr and
// amr the sign-in is to assert. Stops when its standard input closes.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };

function configuration() {
  return {
    jwks: { keys: [signingKey] },
    cookies: { keys: ['kompass-test-provider-only'] },
    acrValues: ['idporten-loa-substantial', 'idporten-loa-high'],
    claims: {
      openid: ['sub', 'acr', 'amr'], // in every ID token, as Ansattporten and Entra ID give them
      email: ['email', 'email_verified'],
      profile: ['preferred_username'],
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    conformIdTokenClaims: false, // the scopes' claims in the ID token, as Entra ID and Ansattporten give them
    pkce: { required: () => true },
    ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: id, email_verified: true, preferred_username: id }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  };
}

async function logoutSource(ctx, form) {
  ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Sign out</title></head><body>
    <h1>Sign out of the test provider?</h1>${form}
    <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
    </body></html>`;
}

function signInPage(uid) {
  return `<!DOCTYPE html><html lang="en"><head><title>Test provider</title></head><body>
    <h1>Test provider sign-in</h1>
    <form method="post" action="/interaction/${uid}/login">
      <label for="login">Account</label><input id="login" name="login">
      <label for="acr">acr</label><input id="acr" name="acr">
      <label for="amr">amr (comma-separated)</label><input id="amr" name="amr">
      <button type="submit">Sign in</button>
    </form></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(signInPage(details.uid));
    return;
  }
  const form = await readForm(req);
  const login = form.get('login');
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const amr = (form.get('amr') || '').split(',').filter(Boolean);
  const result = {
    login: { accountId: login, ...(form.get('acr') ? { acr: form.get('acr') } : {}), ...(amr.length ? { amr } : {}) },
    consent: { grantId: await grant.save() },
  };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration());
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (req.url.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((error) => {
        res.statusCode = 400;
        res.end(String(error));
      });
    } else {
      handle(req, res);
    }
  });
  process.stdout.write(`${issuer}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
