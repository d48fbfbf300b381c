import fs from "node:fs";
import path from "node:path";
import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../base";
import { AsixError } from "../../sdk/errors";
import { ProgressBar } from "../progress";
import { autoPreviewStart } from "../autoPreview";

export default class Upload extends AsixCommand {
  static description = "Upload a track: audio (and optional cover art) to a content node, then the Track on chain";
  static examples = [
    "<%= config.bin %> upload track.mp3 --title 'First light' --genre Electronic",
    { description: "the preview is the loudest 30 s, found in the content node's waveform of the track", command: "<%= config.bin %> upload song.wav --auto-preview" },
    { description: '--json prints {"trackId": "7eP5n", "trackCid": "Qm…", "previewCid": "Qm…", "origFileCid": "Qm…", "duration": 183.2, ..., "blockHash": "0x…", "blockNumber": 42, "transactionHash": "0x…"}', command: '<%= config.bin %> upload song.wav --title Song --cover art.jpg --json' },
  ];
  static args = {
    file: Args.string({ description: "audio file (mp3, wav, flac, ogg, m4a)", required: true }),
  };
  static flags = {
    title: Flags.string({ description: "track title (default: the file name)" }),
    genre: Flags.string({ description: "genre" }),
    mood: Flags.string({ description: "mood" }),
    tags: Flags.string({ description: "comma-separated tags" }),
    description: Flags.string({ description: "up to 2,500 characters" }),
    cover: Flags.string({ description: "cover art image (jpeg, png, webp)" }),
    "preview-start": Flags.integer({ description: "where the 30 s preview starts, in seconds", min: 0, exclusive: ["auto-preview"] }),
    "auto-preview": Flags.boolean({ description: "start the 30 s preview at the loudest 30 s (the file is analysed by the content node first)" }),
    downloadable: Flags.boolean({ description: "allow downloads of the original" }),
  };

  async run() {
    const { args, flags } = await this.parse(Upload);
    for (const f of [args.file, flags.cover]) {
      if (f !== undefined && !fs.existsSync(f)) throw new AsixError("INVALID_INPUT", `file not found: ${f}`);
    }
    const asix = await this.sdk(flags);
    let previewStart = flags["preview-start"];
    if (flags["auto-preview"]) {
      previewStart = await autoPreviewStart(asix, args.file);
      if (previewStart === undefined) this.warn("the content node could not analyse the file: the preview starts at 0 s");
      else this.log(`Preview starts at the loudest 30 s: ${previewStart} s`);
    }
    const bar = new ProgressBar(!this.jsonEnabled() && process.stderr.isTTY === true);
    const result = await asix.tracks.upload(
      args.file,
      {
        title: flags.title ?? path.basename(args.file).replace(/\.[^.]+$/, ""),
        genre: flags.genre,
        mood: flags.mood,
        tags: flags.tags,
        description: flags.description,
        previewStartSeconds: previewStart,
        isDownloadable: flags.downloadable,
      },
      { cover: flags.cover, onProgress: (p) => bar.update(p.phase, p.progress, p.loaded, p.total) },
    );
    bar.done();
    this.log(`Uploaded "${flags.title ?? path.basename(args.file)}" as track ${result.trackId}`);
    this.log(`  track CID ${result.trackCid}  duration ${result.duration.toFixed(1)} s  block ${result.blockNumber}`);
    return { ...result, previewStartSeconds: previewStart ?? 0 };
  }
}
