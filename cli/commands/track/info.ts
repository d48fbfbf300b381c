import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { trackLine } from "../../format";

export default class TrackInfo extends AsixCommand {
  static description = "Show a track";
  static examples = [
    { description: '--json prints {"id": "7eP5n", "title": "First light", "trackCid": "Qm…", "duration": 183, "user": {"id": "Ab1Cd", "handle": "alice", ...}, "repostCount": 0, "favoriteCount": 0, "playCount": 0, ...}', command: '<%= config.bin %> track info 7eP5n --json' },
  ];
  static args = { track: Args.string({ description: "track id (hashid or integer)", required: true }) };

  async run() {
    const { args, flags } = await this.parse(TrackInfo);
    const track = await (await this.sdk(flags)).tracks.get(args.track);
    this.log(trackLine(track));
    this.log(`  trackCid ${track.trackCid}  permalink ${track.permalink}`);
    return track;
  }
}
