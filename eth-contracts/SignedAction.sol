// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {InvalidSignature, SignatureExpired} from "./Errors.sol";

/// @title SignedAction
/// @notice Base for entry points that act for an account on its EIP-712 signature, so that anyone
/// (a relayer paying the gas) may send them. Each account has one sequence of nonces per contract;
/// a signature is good once (a reused nonce reverts with Nonces.InvalidAccountNonce) and until its
/// deadline. EOAs and ERC-1271 contract wallets can sign.
abstract contract SignedAction is EIP712, Nonces {
    /// @param name the EIP-712 domain name
    /// @param version the EIP-712 domain version
    constructor(string memory name, string memory version) EIP712(name, version) {}

    /// @notice This contract's EIP-712 domain separator (chain id and address included).
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @dev Revert unless `signer` signed `structHash` (which must include `nonce` and `deadline`)
    /// under this contract's domain, `deadline` has not passed and `nonce` is the next one; then
    /// consume the nonce.
    function _useSignature(address signer, bytes32 structHash, uint256 nonce, uint256 deadline, bytes calldata signature)
        internal
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        _useCheckedNonce(signer, nonce);
        if (!SignatureChecker.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)) {
            revert InvalidSignature(signer);
        }
    }
}
