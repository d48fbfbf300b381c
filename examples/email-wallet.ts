// Sign up and log in with an email and password, then write without holding any gas:
// `npx tsx examples/email-wallet.ts` with a devnet up (npx asix devnet up).
import { JsonRpcProvider } from "ethers";
import { createAsix } from "../sdk";
import { findState } from "../devnet/state";

export async function emailWallet(devnet = findState(), log: (line: string) => void = console.log) {
  const email = `listener+${Date.now()}@example.com`;
  const password = "a long enough passphrase";

  // Sign up: the wallet is made and encrypted here; the identity service keeps only the ciphertext.
  const app = createAsix({ network: devnet });
  const { walletAddress } = await app.auth.signUp({ email, password });
  const { userId } = await app.users.create({ handle: `listener_${Date.now() % 1e9}` });

  // Later, on another device: log in with the same email and password to get the same wallet back.
  const device = createAsix({ network: devnet });
  const login = await device.auth.logIn({ email, password });
  await device.users.update({ bio: "written by a wallet that never held gas" });

  const dataChain = new JsonRpcProvider(devnet.dataChain.url, devnet.dataChain.chainId, { staticNetwork: true });
  const gas = await dataChain.getBalance(walletAddress);
  dataChain.destroy();
  const user = await device.users.get(userId);
  log(`${email} → ${login.walletAddress} (user ${user.handle}, bio "${user.bio}", ${gas} wei of gas)`);
  return { walletAddress, loggedInAs: login.walletAddress, userId, bio: user.bio, gas };
}

if (require.main === module) {
  emailWallet().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
