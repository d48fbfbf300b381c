import { Flags } from "@oclif/core";
import { AsixCommand } from "../base";
import { createAsix } from "../../sdk";
import { obtainPassword, setSignedOut } from "../keystore";
import { saveSession, SESSION_TRADE_OFF } from "../session";

const DAY_MS = 24 * 60 * 60 * 1000;

export default class Login extends AsixCommand {
  static description = `Log in with email and password (the wallet kept by the identity service); later commands act as that wallet until \`asix logout\` or the login expires. ${SESSION_TRADE_OFF}`;
  static examples = [
    "<%= config.bin %> login --email fan@example.com",
    {
      description: '--json prints {"email": "fan@example.com", "walletAddress": "0x…", "network": "devnet", "expiresAt": "2026-12-30T12:00:00.000Z"}',
      command: "<%= config.bin %> login --email fan@example.com --signup --json",
    },
  ];
  static flags = {
    email: Flags.string({ description: "your email", required: true }),
    password: Flags.string({ description: "your password (or a prompt)", env: "ASIX_PASSWORD" }),
    signup: Flags.boolean({ description: "create the wallet first (a new email)" }),
    "expires-in": Flags.integer({ description: "days the login lasts", default: 30, min: 1, max: 365 }),
  };

  async run() {
    const { flags } = await this.parse(Login);
    const network = this.network(flags);
    const password = await obtainPassword(flags.password, "Password: ");
    const asix = createAsix({ network: network.config });
    const result = flags.signup ? await asix.auth.signUp({ email: flags.email, password }) : await asix.auth.logIn({ email: flags.email, password });
    const expiresAt = new Date(Date.now() + flags["expires-in"] * DAY_MS).toISOString();
    saveSession(result.wallet.privateKey, { email: result.email, address: result.walletAddress, network: network.name, expiresAt });
    setSignedOut(false);
    this.log(`${flags.signup ? "Signed up" : "Logged in"} as ${result.email}: ${result.walletAddress}, until ${expiresAt} or \`asix logout\``);
    return { email: result.email, walletAddress: result.walletAddress, network: network.name, expiresAt };
  }
}
