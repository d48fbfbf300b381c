import { expect } from "chai";
import { DEVNET_ACCOUNT_KEYS } from "../../devnet/accountKeys";
import { DEVNET_ROLES, deriveDevnetPrivateKey, devnetAddress, devnetPrivateKey } from "../../devnet/accounts";
import { computeAddress } from "ethers";

describe("devnet account keys", function () {
  this.timeout(60_000);

  it("the table holds each assigned account's key and address as derived from the test mnemonic", () => {
    const assigned = Object.values(DEVNET_ROLES).flatMap((r) => (typeof r === "number" ? [r] : [...r]));
    expect(DEVNET_ACCOUNT_KEYS.length).to.be.greaterThan(Math.max(...assigned));
    DEVNET_ACCOUNT_KEYS.forEach(([privateKey, address], i) => {
      expect(privateKey, `account ${i}`).to.equal(deriveDevnetPrivateKey(i));
      expect(address, `account ${i}`).to.equal(computeAddress(privateKey));
    });
  });

  it("an account past the table is derived from the mnemonic", () => {
    const i = DEVNET_ACCOUNT_KEYS.length + 3;
    expect(devnetPrivateKey(i)).to.equal(deriveDevnetPrivateKey(i));
    expect(devnetAddress(i)).to.equal(computeAddress(deriveDevnetPrivateKey(i)));
    expect(devnetAddress(i)).to.not.equal(devnetAddress(i - 1));
  });
});
