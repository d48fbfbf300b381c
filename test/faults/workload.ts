import { expect } from "chai";
import { createAsix, cidOfBytes, isAsixError, type Asix } from "../../sdk";
import type { DevnetState } from "../../devnet";

const AUDIO = (n: bigint) => n * 10n ** 18n;
/** devnet accounts the workers act as (each worker one wallet, so one write in flight per wallet) */
const WORKER_ACCOUNTS = [10, 11, 12, 13];
const DELEGATION = AUDIO(100n);

interface WorkerLedger {
  account: number;
  userId: string;
  handle: string;
  follows: Set<string>;
  tracks: Map<string, { title: string }>;
  playlists: Map<string, { names: string[]; tracks: string[] }>;
  delegated: bigint;
  /** a delegation sent when the devnet was killed: it may or may not have landed */
  delegationInFlight: bigint;
}

/**
 * What the SDK reported as confirmed, per worker, across every crash; and the checks that all of
 * it is still there. Writes still in flight at a kill are allowed either outcome.
 */
export class Ledger {
  readonly workers: WorkerLedger[] = [];
  readonly emailUsers = new Map<string, { password: string; walletAddress: string }>();
  private emails = 0;
  private renames = 0;

  constructor(private readonly audioFiles: string[]) {}

  private asix(devnet: DevnetState, account?: number): Asix {
    return createAsix({ network: devnet, wallet: account === undefined ? undefined : devnet.accounts[account].privateKey });
  }

  /** One user per worker, and AUDIO for each worker to delegate. */
  async setUp(devnet: DevnetState): Promise<void> {
    const treasury = this.asix(devnet, 0);
    for (const account of WORKER_ACCOUNTS) {
      const handle = `worker_${account}`;
      const { userId } = await this.asix(devnet, account).users.create({ handle });
      await treasury.staking.transfer(devnet.accounts[account].address, AUDIO(10_000n));
      this.workers.push({ account, userId, handle, follows: new Set(), tracks: new Map(), playlists: new Map(), delegated: 0n, delegationInFlight: 0n });
    }
  }

  /**
   * Run every worker until `until` resolves (the test kills the devnet then, or stops asking);
   * `onConfirmed` hears each confirmed write. Errors after the kill are expected and ignored.
   */
  async run(devnet: DevnetState, random: () => number, opts: { onConfirmed: (n: number) => void; until: Promise<void> }): Promise<void> {
    let stopped = false;
    void opts.until.then(() => (stopped = true));
    let confirmed = 0;
    const confirm = () => opts.onConfirmed(++confirmed);
    const operator = devnet.contentNodes[0].delegateOwnerWallet;
    await Promise.all(
      this.workers.map(async (w, i) => {
        const asix = this.asix(devnet, w.account);
        while (!stopped) {
          const pick = random();
          try {
            if (pick < 0.15) {
              const title = `track ${w.account}-${w.tracks.size}`;
              const { trackId } = await asix.tracks.upload(this.audioFiles[Math.floor(random() * this.audioFiles.length)], { title });
              w.tracks.set(trackId, { title });
            } else if (pick < 0.35) {
              const others = this.workers.filter((o) => o !== w && !w.follows.has(o.userId));
              if (others.length === 0) continue;
              const followee = others[Math.floor(random() * others.length)];
              await asix.users.follow(followee.userId);
              w.follows.add(followee.userId);
            } else if (pick < 0.6) {
              await this.editPlaylist(asix, w, random);
            } else if (pick < 0.8) {
              w.delegationInFlight = DELEGATION;
              await asix.staking.delegate(operator, DELEGATION);
              w.delegated += DELEGATION;
              w.delegationInFlight = 0n;
            } else {
              const email = `fan${i}-${this.emails++}@example.com`;
              const password = `password-${email}`;
              const { walletAddress } = await this.asix(devnet).auth.signUp({ email, password });
              this.emailUsers.set(email, { password, walletAddress });
            }
          } catch (e) {
            if (stopped) return;
            throw e;
          }
          if (!stopped) confirm();
        }
      }),
    );
  }

  private async editPlaylist(asix: Asix, w: WorkerLedger, random: () => number): Promise<void> {
    const mine = [...w.playlists.entries()];
    const tracks = [...w.tracks.keys()];
    if (mine.length === 0 || random() < 0.25) {
      const name = `list ${w.account}-${w.playlists.size}`;
      const trackIds = tracks.slice(0, 1);
      const { playlistId } = await asix.playlists.create({ name, trackIds });
      w.playlists.set(playlistId, { names: [name], tracks: trackIds });
      return;
    }
    const [playlistId, playlist] = mine[Math.floor(random() * mine.length)];
    const notIn = tracks.filter((t) => !playlist.tracks.includes(t));
    if (notIn.length && random() < 0.6) {
      await asix.playlists.addTrack(playlistId, notIn[0]);
      playlist.tracks.push(notIn[0]);
    } else {
      const name = `list ${w.account} renamed ${this.renames++}`;
      // A rename in flight at a kill may or may not land: until it answers, both names are acceptable.
      playlist.names.unshift(name);
      await asix.playlists.update(playlistId, { name });
      playlist.names.splice(1);
    }
  }

  /** Everything confirmed so far is visible through the restarted devnet. */
  async verify(devnet: DevnetState): Promise<void> {
    const reader = this.asix(devnet);
    const operator = devnet.contentNodes[0].delegateOwnerWallet;
    const delegators = await reader.staking.getDelegators(operator);
    for (const w of this.workers) {
      expect((await reader.users.get(w.userId)).handle).to.equal(w.handle);
      const following = new Set((await reader.users.following(w.userId, { limit: 100 })).map((u) => u.id));
      for (const f of w.follows) expect(following.has(f), `${w.handle} still follows ${f}`).to.equal(true);
      w.follows = following; // a follow in flight at the kill may have landed
      for (const [id, { title }] of w.tracks) {
        const track = await reader.tracks.get(id);
        expect(track.title).to.equal(title);
        const chunks: Buffer[] = [];
        for await (const c of (await reader.tracks.stream(id)).stream) chunks.push(c as Buffer);
        expect(await cidOfBytes(Buffer.concat(chunks)), `track ${id} streams byte for byte`).to.equal(track.trackCid);
      }
      for (const [id, { names, tracks }] of w.playlists) {
        const playlist = await reader.playlists.get(id);
        expect(names, `name of playlist ${id}`).to.include(playlist.playlistName);
        names.splice(0, names.length, playlist.playlistName);
        const inList = new Set((await reader.playlists.tracks(id)).map((t) => t.id));
        for (const t of tracks) expect(inList.has(t), `playlist ${id} holds track ${t}`).to.equal(true);
      }
      const address = devnet.accounts[w.account].address.toLowerCase();
      const amount = delegators.find((d) => d.delegator.toLowerCase() === address)?.amount ?? 0n;
      expect(amount >= w.delegated && amount <= w.delegated + w.delegationInFlight, `delegation of ${w.handle}: ${amount} vs confirmed ${w.delegated}`).to.equal(true);
      w.delegated = amount;
      w.delegationInFlight = 0n;
    }
    for (const [email, { password, walletAddress }] of this.emailUsers) {
      const { wallet } = await logInWithinLimits(reader, { email, password });
      expect(wallet.address, `the wallet of ${email}`).to.equal(walletAddress);
    }
  }
}

/**
 * Log in as a client must: the identity service allows 10 log-ins a minute per account (in fixed
 * minutes), and a verify after each of a file's kills logs every email user in once, so a fast run
 * passes that. A refusal says when the window opens again (details.retryAfterSeconds): wait for it,
 * once.
 */
async function logInWithinLimits(asix: Asix, params: { email: string; password: string }) {
  try {
    return await asix.auth.logIn(params);
  } catch (e) {
    const seconds = isAsixError(e, "RATE_LIMITED") ? e.details.retryAfterSeconds : undefined;
    if (typeof seconds !== "number") throw e;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return asix.auth.logIn(params);
  }
}
