import { expect } from "chai";
import { HDNodeWallet, Mnemonic, Wallet } from "ethers";
import { HdWallet } from "../../sdk/eth/hdWallet";
import { bytesToHex, hexToBytes } from "../../sdk/eth/bytes";

// Email wallets were ethers HDNodeWallets (Mnemonic.fromEntropy, default path) before @scure took
// over: every stored ciphertext must open to the same address, so ethers is the reference here.
describe("HD wallets of email accounts (@scure/bip32 + bip39)", () => {
  it("derives the BIP-39 test vector's well-known first account", () => {
    const wallet = HdWallet.fromEntropy(new Uint8Array(16));
    expect(wallet.mnemonic.phrase).to.equal("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
    expect(wallet.address).to.equal("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
    expect(wallet.path).to.equal("m/44'/60'/0'/0/0");
  });

  it("gives exactly ethers' HDNodeWallet address and key for the same entropy", () => {
    const entropies = [
      new Uint8Array(16).fill(0xff),
      hexToBytes("0x7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f"),
      hexToBytes("0x" + "80".repeat(24)),
      hexToBytes("0x" + "0123456789abcdef".repeat(4)),
      ...Array.from({ length: 6 }, (_, i) => globalThis.crypto.getRandomValues(new Uint8Array(16 + 4 * (i % 5)))),
    ];
    for (const entropy of entropies) {
      const ours = HdWallet.fromEntropy(entropy);
      const theirs = HDNodeWallet.fromMnemonic(Mnemonic.fromEntropy(entropy));
      expect(ours.address, bytesToHex(entropy)).to.equal(theirs.address);
      expect(ours.privateKey).to.equal(theirs.privateKey);
      expect(ours.mnemonic.phrase).to.equal(theirs.mnemonic!.phrase);
      expect(ours.mnemonic.entropy).to.equal(theirs.mnemonic!.entropy);
    }
  });

  it("opens a wallet made by ethers' createRandom, and makes 12-word wallets that ethers opens", () => {
    const made = Wallet.createRandom();
    expect(HdWallet.fromEntropy(hexToBytes(made.mnemonic!.entropy)).address).to.equal(made.address);
    const ours = HdWallet.createRandom();
    expect(ours.mnemonic.phrase.split(" ")).to.have.length(12);
    expect(HDNodeWallet.fromPhrase(ours.mnemonic.phrase).address).to.equal(ours.address);
  });

  it("signs messages byte for byte like the ethers wallet of the same mnemonic", async () => {
    const ours = HdWallet.createRandom();
    const theirs = HDNodeWallet.fromPhrase(ours.mnemonic.phrase);
    expect(await ours.signMessage("link ada@example.org")).to.equal(await theirs.signMessage("link ada@example.org"));
  });

  it("refuses entropy that is not 16..32 bytes in steps of 4", () => {
    expect(() => HdWallet.fromEntropy(new Uint8Array(15))).to.throw();
    expect(() => HdWallet.fromEntropy(new Uint8Array(33))).to.throw();
  });
});
