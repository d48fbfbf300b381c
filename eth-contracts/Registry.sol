// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "./Governed.sol";
import {ZeroAddress} from "./Errors.sol";

/// @title Registry
/// @notice bytes32 name => contract address. Every eth-chain contract finds the others here, so a
/// contract can be replaced by a governance proposal without redeploying the rest.
contract Registry is Governed {
    mapping(bytes32 name => address contractAddress) private contracts;

    /// @notice A contract was registered under `name`.
    event ContractAdded(bytes32 indexed name, address indexed contractAddress);
    /// @notice The contract under `name` was replaced.
    event ContractUpgraded(bytes32 indexed name, address indexed oldAddress, address indexed newAddress);
    /// @notice The contract under `name` was removed.
    event ContractRemoved(bytes32 indexed name, address indexed contractAddress);

    /// @notice `name` is already taken; use upgradeContract.
    error ContractAlreadyRegistered(bytes32 name, address contractAddress);
    /// @notice Nothing is registered under `name`.
    error ContractNotRegistered(bytes32 name);

    /// @param governance_ the initial governance (the deployer, until it hands over)
    constructor(address governance_) Governed(governance_) {}

    /// @notice Register a contract under a new name.
    /// @param name registry key (a bytes32 string such as "Staking")
    /// @param contractAddress the contract
    function addContract(bytes32 name, address contractAddress) external onlyGovernance {
        if (contractAddress == address(0)) revert ZeroAddress();
        address existing = contracts[name];
        if (existing != address(0)) revert ContractAlreadyRegistered(name, existing);
        contracts[name] = contractAddress;
        emit ContractAdded(name, contractAddress);
    }

    /// @notice Replace the contract registered under `name`.
    /// @param name registry key
    /// @param newAddress the replacement
    function upgradeContract(bytes32 name, address newAddress) external onlyGovernance {
        if (newAddress == address(0)) revert ZeroAddress();
        address old = contracts[name];
        if (old == address(0)) revert ContractNotRegistered(name);
        contracts[name] = newAddress;
        emit ContractUpgraded(name, old, newAddress);
    }

    /// @notice Remove the contract registered under `name`.
    /// @param name registry key
    function removeContract(bytes32 name) external onlyGovernance {
        address old = contracts[name];
        if (old == address(0)) revert ContractNotRegistered(name);
        delete contracts[name];
        emit ContractRemoved(name, old);
    }

    /// @notice The contract registered under `name`, or the zero address.
    /// @param name registry key
    function getContract(bytes32 name) external view returns (address) {
        return contracts[name];
    }
}
