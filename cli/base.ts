import { Command, Flags, type Interfaces } from "@oclif/core";
import { Wallet, type Signer } from "ethers";
import { createAsix, type Asix } from "../sdk";
import { AsixError, isAsixError } from "../sdk/errors";
import { DEVNET_ROLES } from "../devnet/accounts";
import { currentAccountName, isSignedOut, obtainPassword, openAccount } from "./keystore";
import { networkFetch, resolveCliNetwork, type CliNetwork } from "./networks";
import { openSession } from "./session";
import { NoWalletSigner } from "./noWalletSigner";
import { describeFailure } from "./errors";

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof AsixCommand)["baseFlags"] & T["flags"]>;

const HOW_TO_LOG_IN = "run asix login --email <you> (or asix account use <name>), or pass --private-key";

/**
 * What every network command shares: find the network (a profile or the devnet running here), pick
 * the acting wallet, and print any failure whole on stderr (or `{error:{code,message}}` with --json),
 * exiting 2 on a usage error and 1 on a failed action.
 */
export abstract class AsixCommand extends Command {
  static enableJsonFlag = true;

  static baseFlags = {
    network: Flags.string({
      description: "network profile to act on (see `asix network list`; default: the one chosen with `asix network use`, else the devnet running here)",
      helpGroup: "GLOBAL",
      env: "ASIX_NETWORK",
    }),
    devnet: Flags.string({ description: "devnet state dir (default: .asix/devnet here or in a parent)", helpGroup: "GLOBAL", env: "ASIX_DEVNET_DIR" }),
    account: Flags.integer({
      description: `devnet account index to act as (default: your login, else the account chosen with \`asix account use\`, else devnet account ${DEVNET_ROLES.users[0]})`,
      helpGroup: "GLOBAL",
      env: "ASIX_ACCOUNT",
    }),
    "private-key": Flags.string({ description: "act as this private key instead", helpGroup: "GLOBAL", env: "ASIX_PRIVATE_KEY" }),
  };

  private resolved?: CliNetwork;

  protected network(flags: { network?: string; devnet?: string }): CliNetwork {
    // from the command line, not ASIX_DEVNET_DIR (which only says where the devnet is)
    const devnetFlagGiven = this.argv.some((a) => a === "--devnet" || a.startsWith("--devnet="));
    if (flags.network && devnetFlagGiven) this.error(`--network and --devnet both pick the network; pass one of them`, { exit: 2 });
    this.resolved ??= resolveCliNetwork(flags, devnetFlagGiven);
    return this.resolved;
  }

  /**
   * The SDK bound to the network and the acting wallet: --private-key, else --account N (a devnet
   * account), else your login (`asix login`), else the keystore chosen with `asix account use`, else
   * on a devnet its account 10. After `asix logout` there is no implicit wallet: reads work, writes
   * are refused with how to log in.
   */
  protected async sdk(flags: { network?: string; devnet?: string; account?: number; "private-key"?: string }): Promise<Asix> {
    const network = this.network(flags);
    return createAsix({ network: network.config, wallet: await this.actingWallet(network, flags), fetch: networkFetch(network) });
  }

  private async actingWallet(network: CliNetwork, flags: { account?: number; "private-key"?: string }): Promise<Signer> {
    if (flags["private-key"]) {
      try {
        return new Wallet(flags["private-key"]);
      } catch {
        throw new AsixError("INVALID_INPUT", "--private-key is not a valid private key");
      }
    }
    if (flags.account !== undefined) {
      if (!network.devnet) throw new AsixError("INVALID_INPUT", `--account picks a funded devnet account, and network "${network.name}" is not a devnet: ${HOW_TO_LOG_IN}`);
      const account = network.devnet.accounts.find((a) => a.index === flags.account);
      if (!account) throw new AsixError("INVALID_INPUT", `the devnet has no account ${flags.account} (0..${network.devnet.accounts.length - 1})`);
      return new Wallet(account.privateKey);
    }
    try {
      const login = openSession();
      if (login) return login.wallet;
    } catch (e) {
      if (isAsixError(e, "UNAUTHORIZED")) return new NoWalletSigner(e.message);
      throw e;
    }
    if (isSignedOut()) return new NoWalletSigner(`you are logged out: ${HOW_TO_LOG_IN}`);
    const keystore = currentAccountName();
    if (keystore) return openAccount(keystore, await obtainPassword(undefined, `Password for account ${keystore}: `));
    if (network.devnet) {
      const index = DEVNET_ROLES.users[0];
      return new Wallet(network.devnet.accounts.find((a) => a.index === index)!.privateKey);
    }
    return new NoWalletSigner(`no wallet to act as on network "${network.name}": ${HOW_TO_LOG_IN}`);
  }

  /** A user by "@handle", handle, hashid or integer id. */
  protected async findUser(asix: Asix, ref: string) {
    if (ref.startsWith("@")) return asix.users.getByHandle(ref.slice(1));
    try {
      return await asix.users.getByHandle(ref);
    } catch (e) {
      if (isAsixError(e, "NOT_FOUND") && /^[A-Za-z0-9]{5,}$|^\d+$/.test(ref)) {
        return asix.users.get(ref).catch(() => Promise.reject(e));
      }
      throw e;
    }
  }

  async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    // oclif's own exit (e.g. after --help) passes through untouched.
    if (err.oclif?.exit === 0) throw err;
    const { code, message, exit } = describeFailure(err);
    if (this.jsonEnabled()) {
      this.logJson({ error: { code, message } });
    } else {
      process.stderr.write(`asix: ${message}\n`);
    }
    process.exitCode = exit;
  }
}
