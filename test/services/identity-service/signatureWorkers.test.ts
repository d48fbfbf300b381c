import { expect } from "chai";
import { Wallet, hashMessage, keccak256, toUtf8Bytes } from "ethers";
import { recoverHere, startSignerRecovery, type SignerRecovery } from "../../../devnet/services/identity-service/signatureWorkers";

describe("identity service: signer recovery in worker threads", function () {
  this.timeout(30_000);
  let workers: SignerRecovery;
  before(() => (workers = startSignerRecovery(2)));
  after(() => workers.close());

  it("recovers each signer as the main thread does, many at once", async () => {
    const wallets = Array.from({ length: 8 }, () => Wallet.createRandom());
    const signed = wallets.map((w, i) => {
      const digest = hashMessage(`action ${i}`);
      return { digest, signature: w.signingKey.sign(digest).serialized, address: w.address };
    });
    const recovered = await Promise.all(signed.map((s) => workers.recover(s.digest, s.signature)));
    expect(recovered).to.deep.equal(signed.map((s) => s.address));
    expect(await recoverHere.recover(signed[0].digest, signed[0].signature)).to.equal(signed[0].address);
  });

  it("signs relayer transactions in the workers byte for byte as ethers does here", async () => {
    const relayer = Wallet.createRandom();
    const txs = Array.from({ length: 6 }, (_, nonce) => ({
      type: 2, chainId: 1056801, nonce, to: Wallet.createRandom().address, data: "0x1234", value: 0n,
      gasLimit: 150_000n, maxFeePerGas: 3_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n,
    }));
    const inWorkers = await Promise.all(txs.map((tx) => workers.signTransaction(relayer.privateKey, tx)));
    expect(inWorkers).to.deep.equal(await Promise.all(txs.map((tx) => relayer.signTransaction(tx))));
    expect(await recoverHere.signTransaction(relayer.privateKey, txs[0])).to.equal(inWorkers[0]);
  });

  it("refuses a signature that recovers to no wallet, and keeps working after", async () => {
    const digest = keccak256(toUtf8Bytes("x"));
    const garbage = "0x" + "ff".repeat(64) + "1b";
    await workers.recover(digest, garbage).then(
      () => expect.fail("a garbage signature recovered"),
      (err: Error) => expect(err).to.be.instanceOf(Error),
    );
    const w = Wallet.createRandom();
    expect(await workers.recover(digest, w.signingKey.sign(digest).serialized)).to.equal(w.address);
  });

  it("falls back to this thread once closed", async () => {
    const pool = startSignerRecovery(1);
    await pool.close();
    const w = Wallet.createRandom();
    const digest = keccak256(toUtf8Bytes("after close"));
    expect(await pool.recover(digest, w.signingKey.sign(digest).serialized)).to.equal(w.address);
  });
});
