import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Devnet } from "../../devnet";
import { createAsix } from "../../sdk";
import { fetchTrusting } from "../../devnet/services/node-runtime/tls";
import { startTestDevnet } from "../helpers/devnet";
import { asix } from "../helpers/cli";

/**
 * A network profile for a network whose services chain to their own CA (a private deployment, or a
 * `devnet up --tls` devnet reached as a named network): the profile carries the CA, so commands on
 * it verify certificates against it instead of failing or turning verification off.
 */
describe("asix network add --ca-file: a profile that trusts its network's CA", function () {
  this.timeout(120_000);
  let devnet: Devnet;
  const env = { XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "asix-network-ca-")) };
  const addProfile = (name: string, extra: string[]) =>
    asix(["network", "add", name, "--discovery-url", devnet.services.discovery[0], "--data-rpc", devnet.dataChain.url,
      "--entity-manager", devnet.dataChain.contracts.entityManager, ...extra], { env });

  before(async () => {
    devnet = await startTestDevnet({ tls: true, contentNodes: 1, logs: false });
    expect(devnet.services.discovery[0]).to.match(/^https:/);
    const ca = fs.readFileSync(devnet.caFile!, "utf8");
    await createAsix({ network: devnet, wallet: devnet.accounts[12].privateKey, fetch: fetchTrusting(ca) }).users.create({ handle: "behind_tls" });
  });
  after(async () => {
    await devnet?.stop();
    fs.rmSync(env.XDG_CONFIG_HOME, { recursive: true, force: true });
  });

  it("reads through the profile's services when it was saved with the CA", async () => {
    const added = await addProfile("private", ["--ca-file", devnet.caFile!, "--json"]);
    expect(added.code, added.stderr).to.equal(0);
    expect(added.json.trustsCa).to.equal(true);
    const found = await asix(["user", "info", "behind_tls", "--network", "private", "--json"], { env });
    expect(found.code, found.stderr).to.equal(0);
    expect(found.json.wallet).to.equal(devnet.accounts[12].address.toLowerCase());
  });

  it("fails with the one-line TLS error on a profile saved without it, and stops trusting once replaced without it", async () => {
    expect((await addProfile("plain", [])).code).to.equal(0);
    const refused = await asix(["user", "info", "behind_tls", "--network", "plain"], { env });
    expect(refused.code).to.equal(1);
    expect(refused.stderr.trim().split("\n")).to.have.length(1);
    expect(refused.stderr).to.match(/^asix: .*TLS certificate this client does not trust/);

    expect((await addProfile("private", ["--force"])).code).to.equal(0);
    const forgotten = await asix(["user", "info", "behind_tls", "--network", "private"], { env });
    expect(forgotten.stderr).to.match(/^asix: .*TLS certificate this client does not trust/);
  });

  it("refuses a CA file that is missing or not a certificate, saving nothing", async () => {
    const junk = path.join(env.XDG_CONFIG_HOME, "junk.pem");
    fs.writeFileSync(junk, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
    const [missing, notCert] = await Promise.all([addProfile("bad1", ["--ca-file", path.join(env.XDG_CONFIG_HOME, "nope.pem")]), addProfile("bad2", ["--ca-file", junk])]);
    expect(missing.code).to.not.equal(0);
    expect(missing.stderr.trim()).to.match(/^asix: cannot read the CA file .*nope\.pem: ENOENT/);
    expect(notCert.code).to.not.equal(0);
    expect(notCert.stderr.trim()).to.equal(`asix: ${junk} is not a PEM X.509 certificate`);
    const list = await asix(["network", "list", "--json"], { env });
    expect(list.json.data.map((n: { name: string }) => n.name)).to.not.include.members(["bad1", "bad2"]);
  });
});
