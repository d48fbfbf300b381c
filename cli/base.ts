import { Command, Flags, type Interfaces } from "@oclif/core";
import { Wallet, type Signer } from "ethers";
import { createAsix, type Asix } from "../sdk";
import { AsixError, isAsixError } from "../sdk/errors";
import { findState, type DevnetState } from "../devnet/state";
import { DEVNET_ROLES } from "../devnet/accounts";
import { currentAccountName, obtainPassword, openAccount } from "./keystore";

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof AsixCommand)["baseFlags"] & T["flags"]>;

/**
 * What every network command shares: find the running devnet through devnet.json, pick the acting
 * wallet, and turn any failure into one line on stderr (or `{error}` with --json) and exit code 1.
 */
export abstract class AsixCommand extends Command {
  static enableJsonFlag = true;

  static baseFlags = {
    devnet: Flags.string({ description: "devnet state dir (default: .asix/devnet here or in a parent; env ASIX_DEVNET_DIR)", helpGroup: "GLOBAL" }),
    account: Flags.integer({
      description: `devnet account index to act as (default: the account chosen with \`asix account use\`, else devnet account ${DEVNET_ROLES.users[0]}; env ASIX_ACCOUNT)`,
      helpGroup: "GLOBAL",
      env: "ASIX_ACCOUNT",
    }),
    "private-key": Flags.string({ description: "act as this private key instead (env ASIX_PRIVATE_KEY)", helpGroup: "GLOBAL", env: "ASIX_PRIVATE_KEY" }),
  };

  private state?: DevnetState;

  protected devnetState(dir?: string): DevnetState {
    this.state ??= findState(dir);
    return this.state;
  }

  /**
   * The SDK bound to the running devnet and the acting wallet: --private-key, else --account N (a
   * devnet account), else the keystore chosen with `asix account use`, else devnet account 10.
   */
  protected async sdk(flags: { devnet?: string; account?: number; "private-key"?: string }): Promise<Asix> {
    const state = this.devnetState(flags.devnet);
    return createAsix({ network: state, wallet: await this.actingWallet(state, flags) });
  }

  private async actingWallet(state: DevnetState, flags: { account?: number; "private-key"?: string }): Promise<Signer> {
    if (flags["private-key"]) {
      try {
        return new Wallet(flags["private-key"]);
      } catch {
        throw new AsixError("INVALID_INPUT", "--private-key is not a valid private key");
      }
    }
    const keystore = flags.account === undefined ? currentAccountName() : undefined;
    if (keystore) return openAccount(keystore, await obtainPassword(undefined, `Password for account ${keystore}: `));
    const index = flags.account ?? DEVNET_ROLES.users[0];
    const account = state.accounts.find((a) => a.index === index);
    if (!account) throw new AsixError("INVALID_INPUT", `the devnet has no account ${index} (0..${state.accounts.length - 1})`);
    return new Wallet(account.privateKey);
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
    if (err.oclif?.exit !== undefined && err.oclif.exit === 0) throw err;
    const code = isAsixError(err) ? err.code : "INVALID_INPUT";
    const message = err.message.split("\n")[0] || String(err);
    if (this.jsonEnabled()) {
      this.logJson({ error: { code, message } });
    } else {
      process.stderr.write(`asix: ${message}\n`);
    }
    process.exitCode = 1;
  }
}
