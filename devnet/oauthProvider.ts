import crypto from "node:crypto";
import express, { type Request, type Response } from "express";
import { listen, type Logger } from "./services/http";
import type { OAuthClientConfig } from "./services/identity-service";

/**
 * A small but real OAuth 2.0 authorization server for the devnet, standing in for the social
 * networks a production identity service verifies against: authorization-code grant with PKCE
 * (S256 only), exact redirect-URI matching, single-use codes, client authentication, bearer tokens
 * and a userinfo endpoint whose `verified` claim says whether the account is a verified one.
 * Nobody types a password offline: `login_hint` picks the account, or a form lists them.
 */

export interface OAuthProviderAccount {
  username: string;
  /** stable subject id; default `sub-<username>` */
  sub?: string;
  name?: string;
  /** whether the provider vouches for this account (the claim social verification needs) */
  verified: boolean;
}

export interface OAuthProviderClient {
  clientId: string;
  /** when set, /token requires it (HTTP Basic or `client_secret` in the body) */
  clientSecret?: string;
  /** exact redirect URIs this client may use */
  redirectUris: string[];
}

export interface OAuthProviderConfig {
  port?: number;
  accounts?: OAuthProviderAccount[];
  clients?: OAuthProviderClient[];
  log?: Logger;
}

export interface RunningOAuthProvider {
  url: string;
  authorizeUrl: string;
  tokenUrl: string;
  userInfoUrl: string;
  /** register a client once its redirect URI is known (the identity service listens on port 0) */
  addClient(client: OAuthProviderClient): void;
  addAccount(account: OAuthProviderAccount): void;
  stop(): Promise<void>;
}

export const DEVNET_OAUTH_ACCOUNTS: OAuthProviderAccount[] = [
  { username: "devnet-artist", name: "Devnet Artist", verified: true },
  { username: "devnet-fan", name: "Devnet Fan", verified: false },
];

const CODE_TTL_MS = 60_000;
const TOKEN_TTL_S = 3600;

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  username: string;
  scope: string;
  expiresAt: number;
}

const base64url = (bytes: Buffer) => bytes.toString("base64url");
const randomToken = () => base64url(crypto.randomBytes(32));

export async function startOAuthProvider(config: OAuthProviderConfig = {}): Promise<RunningOAuthProvider> {
  const log = config.log ?? (() => {});
  const accounts = new Map<string, OAuthProviderAccount>();
  const clients = new Map<string, OAuthProviderClient>();
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, { username: string; expiresAt: number }>();
  for (const a of config.accounts ?? DEVNET_OAUTH_ACCOUNTS) accounts.set(a.username, a);
  for (const c of config.clients ?? []) clients.set(c.clientId, c);

  const app = express();
  app.disable("x-powered-by");
  app.use(express.urlencoded({ extended: false, limit: "16kb" }));

  /** Checks that must pass before we may redirect anywhere; afterwards errors go back to the client. */
  function authorizeRequest(req: Request, res: Response, params: Record<string, unknown>): IssuedCode | undefined {
    const str = (k: string) => (typeof params[k] === "string" ? (params[k] as string) : "");
    const client = clients.get(str("client_id"));
    const redirectUri = str("redirect_uri");
    if (!client) {
      res.status(400).json({ error: "invalid_client", error_description: "unknown client_id" });
      return undefined;
    }
    if (!client.redirectUris.includes(redirectUri)) {
      res.status(400).json({ error: "invalid_request", error_description: "redirect_uri is not registered for this client" });
      return undefined;
    }
    const fail = (error: string, description: string) => {
      const to = new URL(redirectUri);
      to.searchParams.set("error", error);
      to.searchParams.set("error_description", description);
      if (str("state")) to.searchParams.set("state", str("state"));
      res.redirect(302, to.toString());
      return undefined;
    };
    if (str("response_type") !== "code") return fail("unsupported_response_type", "only response_type=code is supported");
    if (str("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(str("code_challenge"))) {
      return fail("invalid_request", "PKCE is required: code_challenge (S256) and code_challenge_method=S256");
    }
    return {
      clientId: client.clientId,
      redirectUri,
      codeChallenge: str("code_challenge"),
      username: "",
      scope: str("scope") || "profile",
      expiresAt: 0,
    };
  }

  function approve(res: Response, pending: IssuedCode, username: string, state: string) {
    const to = new URL(pending.redirectUri);
    if (!accounts.has(username)) {
      to.searchParams.set("error", "access_denied");
      to.searchParams.set("error_description", "unknown account");
    } else {
      const code = randomToken();
      codes.set(code, { ...pending, username, expiresAt: Date.now() + CODE_TTL_MS });
      to.searchParams.set("code", code);
      log("oauth code issued", { client: pending.clientId, username });
    }
    if (state) to.searchParams.set("state", state);
    res.redirect(302, to.toString());
  }

  app.get("/authorize", (req, res) => {
    const pending = authorizeRequest(req, res, req.query as Record<string, unknown>);
    if (!pending) return;
    const state = typeof req.query.state === "string" ? req.query.state : "";
    const hint = typeof req.query.login_hint === "string" ? req.query.login_hint : "";
    if (hint) return approve(res, pending, hint, state);
    const hidden = ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"]
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(String(req.query[k] ?? ""))}">`)
      .join("");
    const options = [...accounts.keys()].map((u) => `<option>${escapeHtml(u)}</option>`).join("");
    res
      .type("html")
      .send(`<!doctype html><title>Devnet OAuth</title><form method="post" action="/authorize">${hidden}<select name="username">${options}</select><button>Allow</button></form>`);
  });

  app.post("/authorize", (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const pending = authorizeRequest(req, res, body);
    if (!pending) return;
    approve(res, pending, typeof body.username === "string" ? body.username : "", typeof body.state === "string" ? body.state : "");
  });

  app.post("/token", (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const tokenError = (status: number, error: string, description: string) =>
      res.status(status).set("Cache-Control", "no-store").json({ error, error_description: description });
    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
      clientId = decodeURIComponent(id ?? "");
      clientSecret = decodeURIComponent(secret ?? "");
    }
    const client = clients.get(clientId ?? "");
    if (!client || (client.clientSecret !== undefined && !safeEqual(client.clientSecret, clientSecret ?? ""))) {
      return tokenError(401, "invalid_client", "client authentication failed");
    }
    if (body.grant_type !== "authorization_code") return tokenError(400, "unsupported_grant_type", "only authorization_code");
    const issued = codes.get(body.code ?? "");
    codes.delete(body.code ?? ""); // single use, even when the exchange below fails
    if (!issued || issued.expiresAt < Date.now() || issued.clientId !== client.clientId) {
      return tokenError(400, "invalid_grant", "unknown, used or expired code");
    }
    if (issued.redirectUri !== body.redirect_uri) return tokenError(400, "invalid_grant", "redirect_uri does not match the authorization request");
    const verifier = body.code_verifier ?? "";
    const challenge = base64url(crypto.createHash("sha256").update(verifier).digest());
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !safeEqual(challenge, issued.codeChallenge)) {
      return tokenError(400, "invalid_grant", "code_verifier does not match code_challenge (PKCE)");
    }
    const accessToken = randomToken();
    tokens.set(accessToken, { username: issued.username, expiresAt: Date.now() + TOKEN_TTL_S * 1000 });
    res.set("Cache-Control", "no-store").json({ access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_TTL_S, scope: issued.scope });
  });

  app.get("/userinfo", (req, res) => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
    const token = bearer ? tokens.get(bearer[1]) : undefined;
    const account = token && token.expiresAt > Date.now() ? accounts.get(token.username) : undefined;
    if (!account) {
      res.status(401).set("WWW-Authenticate", 'Bearer error="invalid_token"').json({ error: "invalid_token" });
      return;
    }
    res.json({
      sub: account.sub ?? `sub-${account.username}`,
      preferred_username: account.username,
      name: account.name ?? account.username,
      verified: account.verified,
    });
  });

  const server = await listen(app, config.port ?? 0);
  app.get("/.well-known/oauth-authorization-server", (_req, res) => {
    res.json({
      issuer: server.url,
      authorization_endpoint: `${server.url}/authorize`,
      token_endpoint: `${server.url}/token`,
      userinfo_endpoint: `${server.url}/userinfo`,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code"],
      code_challenge_methods_supported: ["S256"],
    });
  });
  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    log("oauth provider error", { error: String(err) });
    res.status(400).json({ error: "invalid_request" });
  });
  return {
    url: server.url,
    authorizeUrl: `${server.url}/authorize`,
    tokenUrl: `${server.url}/token`,
    userInfoUrl: `${server.url}/userinfo`,
    addClient: (c) => clients.set(c.clientId, c),
    addAccount: (a) => accounts.set(a.username, a),
    stop: () => server.close(),
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface DevnetOAuth {
  provider: RunningOAuthProvider;
  /** pass as IdentityServiceConfig.oauth */
  oauth: OAuthClientConfig;
  /** call once the identity service listens: registers its exact callback URL with the provider */
  register(identityUrl: string): void;
}

/**
 * The devnet's wiring in one call: a provider with the devnet accounts, the identity service's
 * client config for it, and `register(identityUrl)` once that service has its (port 0) URL.
 */
export async function startDevnetOAuth(options: { port?: number; log?: Logger; accounts?: OAuthProviderAccount[] } = {}): Promise<DevnetOAuth> {
  const clientId = "asix-devnet-identity";
  const clientSecret = randomToken();
  const provider = await startOAuthProvider({ port: options.port, log: options.log, accounts: options.accounts });
  return {
    provider,
    oauth: { authorizeUrl: provider.authorizeUrl, tokenUrl: provider.tokenUrl, userInfoUrl: provider.userInfoUrl, clientId, clientSecret },
    register: (identityUrl) =>
      provider.addClient({ clientId, clientSecret, redirectUris: [`${identityUrl.replace(/\/+$/, "")}/verification/callback`] }),
  };
}
