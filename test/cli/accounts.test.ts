import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import type { Devnet } from "../../devnet";
import { startTestDevnet } from "../helpers/devnet";
import { asix } from "../helpers/cli";

describe("asix account / login", function () {
  // A config dir of this suite's own, so `use` does not leak into other CLI tests.
  const configHome = fs.mkdtempSync(path.join(os.tmpdir(), "asix-accounts-"));
  const env = { XDG_CONFIG_HOME: configHome, ASIX_PASSWORD: "correct horse battery" };
  let devnet: Devnet;

  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1 });
  });
  after(async () => {
    await devnet?.stop();
  });

  it("creates, lists, imports, uses and exports encrypted keystores", async () => {
    const created = await asix(["account", "create", "artist", "--json"], { env });
    expect(created.code, created.stderr + created.stdout).to.equal(0);
    expect(created.json.current).to.equal(true);
    const file = path.join(configHome, "asix/accounts/artist.json");
    const keystore = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(keystore.crypto ?? keystore.Crypto).to.be.an("object");
    expect((fs.statSync(file).mode & 0o777).toString(8)).to.equal("600");

    const key = Wallet.createRandom().privateKey;
    const imported = await asix(["account", "import", "imported", "--json"], { env: { ...env, ASIX_IMPORT_SECRET: key } });
    expect(imported.code, imported.stderr).to.equal(0);
    expect(imported.json.address).to.equal(new Wallet(key).address);
    expect(fs.readFileSync(path.join(configHome, "asix/accounts/imported.json"), "utf8")).to.not.include(key.slice(2));

    const list = await asix(["account", "list", "--json"], { env });
    expect(list.json.data.map((a: { name: string }) => a.name)).to.deep.equal(["artist", "imported"]);
    expect(list.json.data.find((a: { current: boolean }) => a.current).name).to.equal("artist");

    expect((await asix(["account", "use", "imported"], { env })).code).to.equal(0);
    const exported = await asix(["account", "export", "imported", "--json"], { env });
    expect(exported.json.privateKey).to.equal(key);
  });

  it("refuses a wrong keystore password, a duplicate name and a bad secret, each in one line", async () => {
    const wrong = await asix(["account", "export", "artist"], { env: { ...env, ASIX_PASSWORD: "not the password" } });
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.match(/^asix: wrong password for account "artist"\n$/);
    const dup = await asix(["account", "create", "artist"], { env });
    expect(dup.code).to.equal(1);
    expect(dup.stderr).to.match(/already exists/);
    const bad = await asix(["account", "import", "junk"], { env: { ...env, ASIX_IMPORT_SECRET: "not a key" } });
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/neither a private key nor a valid mnemonic/);
  });

  it("acts as the account in use: creates a user with it", async () => {
    const res = await asix(["user", "create", "--handle", "keystore_user", "--json", "--devnet", devnet.dir], { env });
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    const exported = await asix(["account", "export", "imported", "--json"], { env });
    expect(res.json.wallet).to.equal(exported.json.address);
  });

  it("signs up and logs in by email through the identity service", async () => {
    const up = await asix(["login", "--email", "Fan@Example.com", "--signup", "--json", "--devnet", devnet.dir], { env });
    expect(up.code, up.stderr + up.stdout).to.equal(0);
    const again = await asix(["login", "--email", "fan@example.com", "--json", "--devnet", devnet.dir], { env });
    expect(again.code, again.stderr + again.stdout).to.equal(0);
    expect(again.json.walletAddress).to.equal(up.json.walletAddress);
    const wrong = await asix(["login", "--email", "fan@example.com", "--devnet", devnet.dir], { env: { ...env, ASIX_PASSWORD: "wrong password!" } });
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr.trim().split("\n")).to.have.length(1);
  });
});

describe("asix verify (social verification against the devnet's OAuth provider)", function () {
  let devnet: Devnet;
  before(async () => {
    devnet = await startTestDevnet({ contentNodes: 1 });
  });
  after(async () => {
    await devnet?.stop();
  });

  it("verifies a user end to end and the discovery node shows isVerified", async () => {
    const on = ["--devnet", devnet.dir, "--account", "14"];
    expect((await asix(["user", "create", "--handle", "to_verify", ...on])).code).to.equal(0);
    const res = await asix(["verify", "--as", "devnet-artist", "--json", ...on]);
    expect(res.code, res.stderr + res.stdout).to.equal(0);
    expect(res.json.providerSubject).to.be.a("string").and.not.equal("");
    const info = await asix(["user", "info", "to_verify", "--json", ...on]);
    expect(info.json.isVerified).to.equal(true);
  });

  it("refuses an account the provider does not vouch for, in one line", async () => {
    const on = ["--devnet", devnet.dir, "--account", "15"];
    expect((await asix(["user", "create", "--handle", "not_verified", ...on])).code).to.equal(0);
    const res = await asix(["verify", "--as", "devnet-fan", ...on]);
    expect(res.code).to.equal(1);
    expect(res.stderr.trim().split("\n")).to.have.length(1);
    const info = await asix(["user", "info", "not_verified", "--json", ...on]);
    expect(info.json.isVerified).to.equal(false);
  });
});
