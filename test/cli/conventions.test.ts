import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { Config } from "@oclif/core";
import { asix } from "../helpers/cli";

// The conventions a terminal user relies on, none of which needs a network.
describe("asix CLI conventions: errors, exit codes, help, completion", function () {
  it("names a missing argument in full and exits 2, in text and --json", async () => {
    const [res, json] = await Promise.all([asix(["upload"]), asix(["upload", "--json"])]);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.equal("asix: Missing 1 required arg:\nfile  audio file (mp3, wav, flac, ogg, m4a)\nSee more help with --help\n");
    expect(json.code).to.equal(2);
    expect(json.json.error).to.deep.equal({ code: "USAGE", message: "Missing 1 required arg:\nfile  audio file (mp3, wav, flac, ogg, m4a)\nSee more help with --help" });
  });

  it("names a missing required flag and a bad flag value, exiting 2", async () => {
    const [missing, bad, option] = await Promise.all([
      asix(["user", "create"]),
      asix(["user", "info", "alice", "--account", "abc"]),
      asix(["track", "trending", "--time", "year", "--json"]),
    ]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.equal("asix: The following error occurred:\n  Missing required flag handle\nSee more help with --help\n");
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.equal("asix: Parsing --account\n  Expected an integer but received: abc\nSee more help with --help\n");
    expect(option.code).to.equal(2);
    expect(option.json.error.message).to.equal("Expected --time=year to be one of: week, month, allTime\nSee more help with --help");
  });

  it("refuses an unknown command with exit 2 and says which command was meant", async () => {
    const [typo, topic] = await Promise.all([asix(["uplod", "song.mp3"]), asix(["user", "craete", "--json"])]);
    expect(typo.code).to.equal(2);
    expect(typo.stderr).to.equal("asix: uplod is not an asix command. Did you mean asix upload?\nRun asix help for a list of available commands.\n");
    expect(topic.code).to.equal(2);
    expect(topic.json.error.message).to.match(/^user craete is not an asix command\. Did you mean asix user create\?/);
  });

  it("`asix help upload` shows usage, flags and examples", async () => {
    const res = await asix(["help", "upload"]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout).to.include("$ asix upload FILE");
    expect(res.stdout).to.include("--title=<value>");
    expect(res.stdout).to.include('--json prints {"trackId"');
  });

  it("prints each global flag's environment variable once", async () => {
    const res = await asix(["help", "user", "create"]);
    for (const env of ["ASIX_ACCOUNT", "ASIX_PRIVATE_KEY", "ASIX_DEVNET_DIR", "ASIX_NETWORK"]) {
      expect(res.stdout.split(env).length - 1, env).to.equal(1);
    }
  });

  it("prints a bash completion script that bash loads, and the zsh one", async () => {
    const env = { XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "asix-cache-")) };
    const setup = await asix(["autocomplete", "bash"], { env });
    expect(setup.code, setup.stderr).to.equal(0);
    expect(setup.stdout).to.include("asix autocomplete script bash");
    const script = await asix(["autocomplete", "script", "bash"], { env });
    expect(script.code, script.stderr).to.equal(0);
    const bash = spawnSync("bash", ["-c", `${script.stdout}\ncomplete -p asix; declare -f _asix_autocomplete`], { encoding: "utf8" });
    expect(bash.stdout).to.include("complete -F _asix_autocomplete asix");
    expect(bash.stdout).to.include("user:create --json --network --devnet");
    const zsh = await asix(["autocomplete", "script", "zsh"], { env });
    expect(zsh.code, zsh.stderr).to.equal(0);
    expect(zsh.stdout).to.include("ASIX_AC_ZSH_SETUP_PATH");
  });

  it("gives every command a --json example that shows the output's shape", async () => {
    const config = await Config.load(path.resolve(__dirname, "../../cli"));
    const ours = config.commands.filter((c) => c.pluginName === "asix");
    expect(ours.length).to.be.greaterThan(40);
    const missing = ours
      .filter((c) => !(c.examples ?? []).some((e) => typeof e === "object" && e.command.includes("--json") && e.description.startsWith("--json prints {")))
      .map((c) => c.id);
    expect(missing).to.deep.equal([]);
  });

  it("never repeats a flag's environment variable in its description (help prints it once)", async () => {
    const config = await Config.load(path.resolve(__dirname, "../../cli"));
    const repeated = config.commands
      .filter((c) => c.pluginName === "asix")
      .flatMap((c) => Object.values(c.flags).filter((f) => f.env && f.description?.includes(f.env)).map((f) => `${c.id} --${f.name}`));
    expect(repeated).to.deep.equal([]);
  });

  it("takes --devnet on the devnet commands too, and --dir as its deprecated alias", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "asix-nodevnet-"));
    const [res, old] = await Promise.all([asix(["devnet", "down", "--devnet", empty, "--json"]), asix(["devnet", "down", "--dir", empty])]);
    expect(res.code, res.stderr).to.equal(0);
    expect(res.json).to.deep.equal({ stopped: false });
    expect(old.code, old.stderr).to.equal(0);
    expect(old.stdout).to.equal("No devnet is running here.\n");
    expect(old.stderr).to.include('The "--dir" flag has been deprecated. Use "--devnet" instead.');
  });
});
