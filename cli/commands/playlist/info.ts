import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { playlistLine, trackLine } from "../../format";

export default class PlaylistInfo extends AsixCommand {
  static description = "Show a playlist and its tracks";
  static examples = [
    { description: '--json prints {"id": "Qm3ab", "playlistName": "Road trip", "isAlbum": false, "trackCount": 2, "user": {...}, ..., "tracks": [{"id": "7eP5n", "title": "…", ...}, ...]}', command: '<%= config.bin %> playlist info Qm3ab --json' },
  ];
  static args = { playlist: Args.string({ description: "playlist id", required: true }) };

  async run() {
    const { args, flags } = await this.parse(PlaylistInfo);
    const asix = await this.sdk(flags);
    const [playlist, tracks] = await Promise.all([asix.playlists.get(args.playlist), asix.playlists.tracks(args.playlist)]);
    this.log(playlistLine(playlist));
    tracks.forEach((t, i) => this.log(`  ${String(i + 1).padStart(3)}. ${trackLine(t)}`));
    return { ...playlist, tracks };
  }
}
