// Follow two artists and list their new tracks, newest first:
// `npx tsx examples/follow-and-feed.ts <audio file>` with a devnet up (npx asix devnet up).
import { Wallet } from "ethers";
import { createAsix, type Track } from "../sdk";
import { findState } from "../devnet/state";

export async function followAndFeed(audioFile: string, devnet = findState(), log: (line: string) => void = console.log) {
  const run = Date.now() % 1e9;
  // Two artists publish; fresh wallets need no gas on the data chain.
  const artists = [];
  for (const name of ["aurora", "basalt"]) {
    const artist = createAsix({ network: devnet, wallet: Wallet.createRandom() });
    const { userId } = await artist.users.create({ handle: `${name}_${run}`, name });
    await artist.tracks.upload(audioFile, { title: `${name}: first light`, genre: "Electronic" });
    artists.push(userId);
  }

  const fan = createAsix({ network: devnet, wallet: Wallet.createRandom() });
  const { userId: fanId } = await fan.users.create({ handle: `fan_${run}` });
  for (const artistId of artists) await fan.users.follow(artistId);

  // The feed: the tracks of everyone the fan follows, newest first.
  const following = await fan.users.following(fanId);
  const feed: Track[] = [];
  for (const artist of following) feed.push(...(await fan.users.tracks(artist.id, { limit: 10 })));
  feed.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const track of feed) log(`${track.createdAt}  ${track.user.handle}: ${track.title}`);
  return { fanId, following: following.map((u) => u.handle), feed: feed.map((t) => ({ title: t.title, createdAt: t.createdAt })) };
}

if (require.main === module) {
  followAndFeed(process.argv[2]).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
