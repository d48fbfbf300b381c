// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Narrow views that one eth contract reads from another found in the Registry. They let a contract
// read a peer that itself imports the reader (ClaimsManager <- DelegateManager, Governance <-
// the lockup owners) without an import cycle.

/// @notice Stake queued for withdrawal, which earns no rewards (DelegateManager).
interface IStakeLocks {
    /// @notice The operator's pending decrease plus its delegators' pending undelegations, wei.
    function getLockedStake(address serviceProvider) external view returns (uint256);
}

/// @notice Each account's own active stake by block (ServiceProviderFactory, DelegateManager).
interface IActiveStake {
    /// @notice `account`'s own stake not queued for withdrawal, at the end of `blockNumber`, wei.
    function activeStakeAt(address account, uint256 blockNumber) external view returns (uint256);
}

/// @notice Governance's timings, which every withdrawal lockup must outlast.
interface IGovernanceTimings {
    function votingPeriod() external view returns (uint256);
    function executionDelay() external view returns (uint256);
}

/// @notice The operator's withdrawal lockup (ServiceProviderFactory).
interface IDecreaseStakeLockup {
    function decreaseStakeLockupDuration() external view returns (uint256);
}

/// @notice The delegator's withdrawal lockup (DelegateManager).
interface IUndelegateLockup {
    function undelegateLockupDuration() external view returns (uint256);
}
