import { startIdentityService } from "./index";
import { corsOriginsFromEnv } from "../cors";
import { createLogger } from "../http";
import { serveFromEnv } from "../node-runtime/tls";

/**
 * Run the identity service alone:
 *   ASIX_DIR, ASIX_PORT, ASIX_DATA_RPC_URL, ASIX_DATA_CHAIN_ID, ASIX_ENTITY_MANAGER_ADDRESS,
 *   ASIX_RELAYER_KEYS (comma-separated), ASIX_DISCOVERY_URLS (comma-separated), ASIX_VERIFIER_KEY,
 *   ASIX_RATE_LIMITS and ASIX_IP_RATE_LIMITS (JSON), ASIX_TRUST_PROXY (express "trust proxy" value),
 *   ASIX_OAUTH (JSON OAuthClientConfig), ASIX_ETH_CHAIN (JSON {rpcUrl, chainId, tokenAddress,
 *   stakingAddress, delegateManagerAddress, serviceProviderFactoryAddress}) for /eth_relay,
 *   ASIX_TLS_CERT and ASIX_TLS_KEY (serve HTTPS), ASIX_CA_FILE (an extra CA to trust), ASIX_DRAIN_MS (drain on SIGTERM),
 *   ASIX_CORS_ORIGINS (* or comma-separated origins whose pages may call the service; default *),
 *   ASIX_LOG=1 for logs on stdout.
 */
async function main() {
  const env = process.env;
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  const discoveryUrls = need("ASIX_DISCOVERY_URLS").split(",").map((u) => u.trim()).filter(Boolean);
  const service = await startIdentityService({
    serve: serveFromEnv(),
    dir: env.ASIX_DIR ?? ".asix/identity-service",
    port: env.ASIX_PORT ? Number(env.ASIX_PORT) : 0,
    dataChain: {
      rpcUrl: need("ASIX_DATA_RPC_URL"),
      chainId: Number(need("ASIX_DATA_CHAIN_ID")),
      entityManagerAddress: need("ASIX_ENTITY_MANAGER_ADDRESS"),
    },
    relayerPrivateKeys: need("ASIX_RELAYER_KEYS").split(",").map((k) => k.trim()).filter(Boolean),
    discoveryNodes: () => discoveryUrls,
    verifierPrivateKey: env.ASIX_VERIFIER_KEY,
    ipRateLimits: env.ASIX_IP_RATE_LIMITS ? JSON.parse(env.ASIX_IP_RATE_LIMITS) : undefined,
    trustProxy: env.ASIX_TRUST_PROXY,
    rateLimits: env.ASIX_RATE_LIMITS ? JSON.parse(env.ASIX_RATE_LIMITS) : undefined,
    oauth: env.ASIX_OAUTH ? JSON.parse(env.ASIX_OAUTH) : undefined,
    ethChain: env.ASIX_ETH_CHAIN ? JSON.parse(env.ASIX_ETH_CHAIN) : undefined,
    corsOrigins: corsOriginsFromEnv(env.ASIX_CORS_ORIGINS),
    log: createLogger("identity-service", env.ASIX_LOG ? (line) => process.stdout.write(line) : undefined),
  });
  process.stdout.write(`identity service on ${service.url}\n`);
  const stop = () => void service.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`identity service: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
