import { AsixCommand } from "../base";
import { setSignedOut } from "../keystore";
import { clearSession, readSession } from "../session";

export default class Logout extends AsixCommand {
  static description =
    "Forget your login (the encrypted key on this machine); until the next `asix login` or `asix account use`, writes need --private-key or --account";
  static examples = [
    "<%= config.bin %> logout",
    { description: '--json prints {"loggedOut": true, "email": "fan@example.com", "walletAddress": "0x…"}', command: "<%= config.bin %> logout --json" },
  ];

  async run() {
    await this.parse(Logout);
    const session = readSession();
    const cleared = clearSession();
    setSignedOut(true);
    this.log(session ? `Logged out ${session.email} (${session.address}).` : "You were not logged in; no wallet will be used implicitly until you log in.");
    return { loggedOut: cleared, email: session?.email ?? null, walletAddress: session?.address ?? null };
  }
}
