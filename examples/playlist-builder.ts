// Build a playlist and an album, add a track and reorder:
// `npx tsx examples/playlist-builder.ts <audio file>` with a devnet up (npx asix devnet up).
import { Wallet } from "ethers";
import { createAsix } from "../sdk";
import { findState } from "../devnet/state";

export async function playlistBuilder(audioFile: string, devnet = findState(), log: (line: string) => void = console.log) {
  const asix = createAsix({ network: devnet, wallet: Wallet.createRandom() });
  await asix.users.create({ handle: `curator_${Date.now() % 1e9}` });
  const ids: string[] = [];
  for (const title of ["Opening", "Middle", "Closing"]) ids.push((await asix.tracks.upload(audioFile, { title })).trackId);
  const [opening, middle, closing] = ids;

  const { playlistId } = await asix.playlists.create({ name: "Night set", trackIds: [opening, closing] });
  await asix.playlists.addTrack(playlistId, middle, 1); // between the two
  await asix.playlists.reorder(playlistId, [closing, middle, opening]); // play it backwards
  const order = (await asix.playlists.tracks(playlistId)).map((t) => t.title);
  log(`playlist ${playlistId}: ${order.join(" → ")}`);

  const { playlistId: albumId } = await asix.playlists.create({ name: "First LP", isAlbum: true, trackIds: ids });
  const album = await asix.playlists.get(albumId);
  log(`album ${album.playlistName}: ${album.playlistContents.length} tracks`);
  return { playlistId, order, albumId, isAlbum: album.isAlbum, albumTracks: album.playlistContents.length };
}

if (require.main === module) {
  playlistBuilder(process.argv[2]).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
