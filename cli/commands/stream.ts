import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { Args, Flags } from "@oclif/core";
import { AsixCommand } from "../base";
import { AsixError } from "../../sdk/errors";
import { toNodeReadable } from "../../sdk/node";

export default class Stream extends AsixCommand {
  static description = "Stream a track's audio to a file (or stdout)";
  static examples = ["<%= config.bin %> stream 7eP5n -o out.mp3", "<%= config.bin %> stream 7eP5n --range 0-1023 -o head.bin"];
  static args = {
    track: Args.string({ description: "track id (hashid or integer)", required: true }),
  };
  static flags = {
    output: Flags.string({ char: "o", description: "file to write (default: stdout)" }),
    range: Flags.string({ description: "byte range, e.g. 0-1023 or 1000-" }),
  };

  async run() {
    const { args, flags } = await this.parse(Stream);
    if (!flags.output && this.jsonEnabled()) throw new AsixError("INVALID_INPUT", "--json needs -o <file> (the audio cannot share stdout)");
    let range: { start: number; end?: number } | undefined;
    if (flags.range !== undefined) {
      const m = /^(\d+)-(\d*)$/.exec(flags.range);
      if (!m) throw new AsixError("INVALID_INPUT", `--range must look like 0-1023 or 1000-, got ${flags.range}`);
      range = { start: Number(m[1]), end: m[2] === "" ? undefined : Number(m[2]) };
    }
    const asix = await this.sdk(flags);
    const res = await asix.tracks.stream(args.track, { range });
    const out = flags.output ? fs.createWriteStream(`${flags.output}.part`) : process.stdout;
    let bytes = 0;
    const source = toNodeReadable(res.stream);
    source.on("data", (c: Buffer) => (bytes += c.length));
    try {
      await pipeline(source, out);
    } catch (e) {
      if (flags.output) fs.rmSync(`${flags.output}.part`, { force: true });
      throw new AsixError("NODE_UNAVAILABLE", `stream interrupted: ${(e as Error).message}`, { cause: e });
    }
    if (flags.output) {
      fs.renameSync(`${flags.output}.part`, flags.output);
      this.log(`Wrote ${bytes} bytes to ${flags.output}`);
    }
    return { track: args.track, bytes, status: res.status, contentType: res.contentType, contentRange: res.contentRange, output: flags.output };
  }
}
