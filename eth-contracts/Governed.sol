// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {NotGovernance, ZeroAddress} from "./Errors.sol";

/// @title Governed
/// @notice Base for every contract whose parameters belong to Governance. The deployer holds the
/// role while it configures the system, then hands it to the Governance contract for good.
abstract contract Governed {
    /// @notice The only address allowed to change this contract's parameters.
    address public governance;

    /// @notice The governance role moved.
    event GovernanceAddressUpdated(address indexed previousGovernance, address indexed newGovernance);

    constructor(address governance_) {
        if (governance_ == address(0)) revert ZeroAddress();
        governance = governance_;
        emit GovernanceAddressUpdated(address(0), governance_);
    }

    modifier onlyGovernance() {
        if (msg.sender != governance) revert NotGovernance(msg.sender);
        _;
    }

    /// @notice Hand the governance role to another address (the Governance contract, after set-up).
    /// @param newGovernance the new holder of the role
    function setGovernanceAddress(address newGovernance) external onlyGovernance {
        if (newGovernance == address(0)) revert ZeroAddress();
        emit GovernanceAddressUpdated(governance, newGovernance);
        governance = newGovernance;
    }
}
