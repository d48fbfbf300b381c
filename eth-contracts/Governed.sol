// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {NotGovernance, ZeroAddress} from "./Errors.sol";

/// @title Governed
/// @notice Base for every contract whose parameters belong to Governance. The deployer holds the
/// role while it configures the system, then hands it to the Governance contract for good. The
/// hand-off takes two steps (offer, then accept by the new holder) so that a mistyped address
/// cannot take the role and brick the contract.
abstract contract Governed {
    /// @notice The only address allowed to change this contract's parameters.
    address public governance;
    /// @notice The address offered the role, until it accepts (zero: no offer).
    address public pendingGovernance;

    /// @notice The governance role moved.
    event GovernanceAddressUpdated(address indexed previousGovernance, address indexed newGovernance);
    /// @notice The role was offered to `pendingGovernance`; it moves when that address accepts.
    event GovernanceTransferStarted(address indexed currentGovernance, address indexed pendingGovernance);

    /// @notice Only the address the role was offered to may accept it.
    error NotPendingGovernance(address caller, address pendingGovernance);

    constructor(address governance_) {
        if (governance_ == address(0)) revert ZeroAddress();
        governance = governance_;
        emit GovernanceAddressUpdated(address(0), governance_);
    }

    modifier onlyGovernance() {
        if (msg.sender != governance) revert NotGovernance(msg.sender);
        _;
    }

    /// @notice Offer the governance role to another address (the Governance contract, after
    /// set-up); it moves when that address calls acceptGovernance. A later offer replaces this one.
    /// @param newGovernance the proposed holder of the role
    function setGovernanceAddress(address newGovernance) external onlyGovernance {
        if (newGovernance == address(0)) revert ZeroAddress();
        pendingGovernance = newGovernance;
        emit GovernanceTransferStarted(governance, newGovernance);
    }

    /// @notice Take the governance role offered to the caller.
    function acceptGovernance() external {
        if (msg.sender != pendingGovernance) revert NotPendingGovernance(msg.sender, pendingGovernance);
        emit GovernanceAddressUpdated(governance, msg.sender);
        governance = msg.sender;
        pendingGovernance = address(0);
    }
}
