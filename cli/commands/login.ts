import { Flags } from "@oclif/core";
import { AsixCommand } from "../base";
import { createAsix } from "../../sdk";
import { obtainPassword, saveAccount, useAccount } from "../keystore";

export default class Login extends AsixCommand {
  static description = "Log in with email and password (the wallet kept by the identity service), and act as it from now on";
  static examples = ["<%= config.bin %> login --email fan@example.com", "<%= config.bin %> login --email fan@example.com --signup"];
  static flags = {
    email: Flags.string({ description: "your email", required: true }),
    password: Flags.string({ description: "your password (or ASIX_PASSWORD, or a prompt)" }),
    signup: Flags.boolean({ description: "create the wallet first (a new email)" }),
  };

  async run() {
    const { flags } = await this.parse(Login);
    const state = this.devnetState(flags.devnet);
    const password = await obtainPassword(flags.password, "Password: ");
    const asix = createAsix({ network: state });
    const result = flags.signup ? await asix.auth.signUp({ email: flags.email, password }) : await asix.auth.logIn({ email: flags.email, password });
    // Keep a local keystore (same password) so later commands can sign without the network round trip.
    const name = result.email.replace(/[^A-Za-z0-9_.@+-]/g, "_");
    await saveAccount(name, result.wallet, password, true);
    useAccount(name);
    this.log(`${flags.signup ? "Signed up" : "Logged in"} as ${result.email}: ${result.walletAddress} (now in use)`);
    return { email: result.email, walletAddress: result.walletAddress, account: name };
  }
}
