// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title RegistryKeys
/// @notice The Registry names under which the eth-chain contracts find each other (bytes32 strings).
library RegistryKeys {
    /// @dev The Registry registers itself, so that Governance proposals can reach it by key.
    bytes32 internal constant REGISTRY = "Registry";
    bytes32 internal constant TOKEN = "Token";
    bytes32 internal constant SERVICE_TYPE_MANAGER = "ServiceTypeManager";
    bytes32 internal constant STAKING = "Staking";
    bytes32 internal constant SERVICE_PROVIDER_FACTORY = "ServiceProviderFactory";
    bytes32 internal constant DELEGATE_MANAGER = "DelegateManager";
    bytes32 internal constant CLAIMS_MANAGER = "ClaimsManager";
    bytes32 internal constant GOVERNANCE = "Governance";
}

/// @notice An EIP-2612 permit signature, passed as one argument so that `...WithPermit` entry points
/// stay shallow on the stack. The spender is always the Staking contract, which pulls the tokens.
struct PermitSignature {
    uint256 deadline;
    uint8 v;
    bytes32 r;
    bytes32 s;
}
