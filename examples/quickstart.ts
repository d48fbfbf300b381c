// The README's SDK example, runnable: `npx tsx examples/quickstart.ts <audio file>` with a devnet up.
import { createAsix } from "../sdk";
import { findState } from "../devnet/state";

export async function quickstart(audioFile: string, devnet = findState()) {
  const asix = createAsix({ network: devnet, wallet: devnet.accounts[10].privateKey });
  const { userId } = await asix.users.create({ handle: `artist_${Date.now() % 1e6}` });
  const { trackId } = await asix.tracks.upload(audioFile, { title: "Hello, Asix+", genre: "Electronic" });
  const track = await asix.tracks.get(trackId);
  const { stream, contentLength } = await asix.tracks.stream(trackId, { range: { start: 0, end: 1023 } });
  await new Response(stream).arrayBuffer();
  console.log(`${track.user.handle} (${userId}) published "${track.title}": ${track.duration}s, first ${contentLength} bytes streamed`);
  return { userId, trackId, track, contentLength };
}

if (require.main === module) {
  quickstart(process.argv[2]).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
