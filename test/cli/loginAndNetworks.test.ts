import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Devnet } from "../../devnet";
import { createAsix } from "../../sdk";
import { startTestDevnet } from "../helpers/devnet";
import { asix } from "../helpers/cli";

// Two devnets: "here" (the one commands find by default) and "second", reached only through a
// network profile. Each test uses its own config dir, so logins and profiles do not leak.
describe("asix login, network profiles and paged lists", function () {
  this.timeout(180_000);
  let here: Devnet;
  let second: Devnet;
  const newConfig = () => fs.mkdtempSync(path.join(os.tmpdir(), "asix-login-"));

  before(async () => {
    [here, second] = await Promise.all([startTestDevnet({ contentNodes: 1, logs: false }), startTestDevnet({ contentNodes: 1, logs: false })]);
    // three users whose handles share a prefix, for paging
    await Promise.all(
      [12, 13, 14].map((i) => createAsix({ network: here, wallet: here.accounts[i].privateKey }).users.create({ handle: `pager_${i}` })),
    );
  });
  after(async () => {
    await Promise.all([here?.stop(), second?.stop()]);
  });

  it("pages a --json list through next until it is null", async () => {
    const on = ["--devnet", here.dir, "--json", "--limit", "2"];
    const first = await asix(["user", "search", "pager_", ...on]);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.json).to.include({ offset: 0, limit: 2, next: 2 });
    const rest = await asix(["user", "search", "pager_", ...on, "--offset", String(first.json.next)]);
    expect(rest.json).to.include({ offset: 2, limit: 2, next: null });
    const handles = [...first.json.data, ...rest.json.data].map((u: { handle: string }) => u.handle).sort();
    expect(handles).to.deep.equal(["pager_12", "pager_13", "pager_14"]);
  });

  it("keeps a login until logout: writes with no password flag, then refuses them", async () => {
    const config = newConfig();
    const on = ["--devnet", here.dir];
    const email = "cli-fan@example.com";
    const password = "correct horse battery";
    const up = await asix(["login", "--email", email, "--signup", "--json", ...on], { env: { XDG_CONFIG_HOME: config, ASIX_PASSWORD: password } });
    expect(up.code, up.stderr + up.stdout).to.equal(0);
    expect(Date.parse(up.json.expiresAt)).to.be.greaterThan(Date.now() + 29 * 24 * 3600_000);

    // no password anywhere from here on
    const env = { XDG_CONFIG_HOME: config };
    const created = await asix(["user", "create", "--handle", "logged_in_fan", "--json", ...on], { env });
    expect(created.code, created.stderr + created.stdout).to.equal(0);
    expect(created.json.wallet).to.equal(up.json.walletAddress);
    const followed = await asix(["follow", "pager_12", "--json", ...on], { env });
    expect(followed.code, followed.stderr + followed.stdout).to.equal(0);

    // the key is on disk only encrypted, readable by the user alone
    const { wallet } = await createAsix({ network: here }).auth.logIn({ email, password });
    for (const file of ["session.json", "install-secret"]) {
      const full = path.join(config, "asix", file);
      expect((fs.statSync(full).mode & 0o777).toString(8), file).to.equal("600");
      expect(fs.readFileSync(full, "utf8").toLowerCase(), file).to.not.include(wallet.privateKey.slice(2).toLowerCase());
    }

    const out = await asix(["logout", "--json"], { env });
    expect(out.json).to.deep.equal({ loggedOut: true, email, walletAddress: up.json.walletAddress });
    const refused = await asix(["follow", "pager_13", ...on], { env });
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.equal("asix: you are logged out: run asix login --email <you> (or asix account use <name>), or pass --private-key\n");
    const refusedJson = await asix(["follow", "pager_13", "--json", ...on], { env });
    expect(refusedJson.json.error.code).to.equal("UNAUTHORIZED");
    const read = await asix(["user", "following", "logged_in_fan", "--json", ...on], { env });
    expect(read.json.data.map((u: { handle: string }) => u.handle)).to.deep.equal(["pager_12"]);
  });

  it("refuses a login whose expiry was edited in the file, and one that has expired", async () => {
    const config = newConfig();
    const env = { XDG_CONFIG_HOME: config, ASIX_PASSWORD: "another good password" };
    const up = await asix(["login", "--email", "expiring@example.com", "--signup", "--devnet", here.dir], { env });
    expect(up.code, up.stderr).to.equal(0);
    const file = path.join(config, "asix", "session.json");
    const session = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...session, expiresAt: "2999-01-01T00:00:00.000Z" }));
    const edited = await asix(["follow", "pager_12", "--devnet", here.dir], { env: { XDG_CONFIG_HOME: config } });
    expect(edited.code).to.equal(1);
    expect(edited.stderr).to.equal("asix: the saved login as expiring@example.com cannot be decrypted on this install: run asix login --email expiring@example.com\n");
    fs.writeFileSync(file, JSON.stringify({ ...session, expiresAt: "2020-01-01T00:00:00.000Z" }));
    const expired = await asix(["follow", "pager_12", "--devnet", here.dir], { env: { XDG_CONFIG_HOME: config } });
    expect(expired.stderr).to.equal("asix: your login as expiring@example.com expired at 2020-01-01T00:00:00.000Z: run asix login --email expiring@example.com\n");
  });

  it("acts on a second devnet through a named network profile", async () => {
    const env = { XDG_CONFIG_HOME: newConfig(), ASIX_DEVNET_DIR: here.dir };
    const added = await asix(
      [
        "network", "add", "second",
        "--discovery-url", second.services.discovery[0],
        "--identity-url", second.services.identity,
        "--data-rpc", second.dataChain.url,
        "--entity-manager", second.dataChain.contracts.entityManager,
        "--eth-rpc", second.ethChain.url,
        "--registry", second.ethChain.contracts.registry,
        "--json",
      ],
      { env },
    );
    expect(added.code, added.stderr + added.stdout).to.equal(0);
    // the eth contracts come from the second devnet's Registry
    expect(added.json.network.ethChain.contracts).to.deep.equal(second.ethChain.contracts);
    expect(added.json.network.dataChain.chainId).to.equal(second.dataChain.chainId);

    const list = await asix(["network", "list", "--json"], { env });
    expect(list.json.data.map((n: { name: string; current: boolean }) => [n.name, n.current])).to.deep.equal([["devnet", true], ["second", false]]);

    const key = second.accounts[12].privateKey;
    const created = await asix(["user", "create", "--handle", "only_on_second", "--network", "second", "--private-key", key, "--json"], { env });
    expect(created.code, created.stderr + created.stdout).to.equal(0);
    const [there, notHere, balance] = await Promise.all([
      asix(["user", "info", "only_on_second", "--network", "second", "--json"], { env }),
      asix(["user", "info", "only_on_second", "--json"], { env }),
      asix(["token", "balance", second.accounts[12].address, "--network", "second", "--json"], { env }),
    ]);
    expect(there.json.wallet).to.equal(second.accounts[12].address.toLowerCase());
    expect(notHere.json.error.code).to.equal("NOT_FOUND");
    expect(balance.code, balance.stderr + balance.stdout).to.equal(0);

    const devnetAccount = await asix(["follow", "pager_12", "--network", "second", "--account", "3"], { env });
    expect(devnetAccount.code).to.equal(1);
    expect(devnetAccount.stderr).to.match(/^asix: --account picks a funded devnet account, and network "second" is not a devnet/);

    expect((await asix(["network", "use", "second"], { env })).code).to.equal(0);
    const byDefault = await asix(["user", "info", "only_on_second", "--json"], { env });
    expect(byDefault.code, byDefault.stderr).to.equal(0);
  });
});
