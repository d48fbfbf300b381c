import { Args } from "@oclif/core";
import { AsixCommand } from "../../base";
import { trackLine } from "../../format";

export default class TrackInfo extends AsixCommand {
  static description = "Show a track, with its tempo, key, loudness and waveform from the content node's analysis";
  static examples = [
    { description: '--json prints {"id": "7eP5n", "title": "First light", "trackCid": "Qm…", "duration": 183, "user": {"id": "Ab1Cd", "handle": "alice", ...}, "bpm": 120, "musicalKey": "A minor", "loudness": {"integrated": -14.2, "range": 5.1, "truePeak": -1.3, "trackGain": -3.8}, "waveformCid": "Qm…", ...}', command: '<%= config.bin %> track info 7eP5n --json' },
  ];
  static args = { track: Args.string({ description: "track id (hashid or integer)", required: true }) };

  async run() {
    const { args, flags } = await this.parse(TrackInfo);
    const track = await (await this.sdk(flags)).tracks.get(args.track);
    this.log(trackLine(track));
    this.log(`  trackCid ${track.trackCid}  permalink ${track.permalink}`);
    const { bpm, musicalKey, loudness, waveformCid, audioAnalysisErrorCount: errors } = track;
    if (bpm === null && musicalKey === null && loudness === null && waveformCid === null) {
      this.log(errors > 0 ? `  analysis failed (${errors} errors)` : "  analysis: not ready yet");
    } else {
      const number = (v: number | undefined, unit: string) => (v === undefined ? "?" : `${v.toFixed(1)} ${unit}`);
      this.log(`  bpm ${bpm === null ? "?" : bpm.toFixed(1)}  key ${musicalKey ?? "?"}${errors > 0 ? `  (${errors} analysis errors)` : ""}`);
      this.log(
        `  loudness ${number(loudness?.integrated, "LUFS")}  range ${number(loudness?.range, "LU")}  true peak ${number(loudness?.truePeak, "dBTP")}  track gain ${number(loudness?.trackGain, "dB")}`,
      );
      this.log(`  waveformCid ${waveformCid ?? "?"}`);
    }
    return track;
  }
}
