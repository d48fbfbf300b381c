// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Errors shared by several eth-chain contracts. A revert that bubbles up from a callee keeps its
// selector, so clients decode with the union of the eth-contracts ABIs.

/// @notice Only the governance role may call this.
error NotGovernance(address caller);
/// @notice An address argument was zero.
error ZeroAddress();
/// @notice An amount argument was zero.
error ZeroAmount();
/// @notice This caller is not allowed to move stake here.
error CallerNotAllowed(address caller);
/// @notice The operator's own stake would fall below the sum of its endpoints' minimums.
error StakeBelowMinimum(uint256 stake, uint256 minimum);
/// @notice The account's total stake would exceed the sum of its endpoints' maximums.
error StakeAboveMaximum(uint256 stake, uint256 maximum);
/// @notice The account has fewer tokens staked than the amount asked for.
error InsufficientStake(address account, uint256 stake, uint256 amount);
/// @notice The account has no registered endpoint.
error NotAServiceProvider(address account);
/// @notice A lockup has not ended yet.
error LockupNotEnded(uint256 lockupExpiryBlock, uint256 currentBlock);
/// @notice Stake changes are blocked while this service provider has a reward claim pending.
error ClaimPending(address serviceProvider);
/// @notice The permit failed and the allowance does not cover the amount.
error PermitFailed(address owner, uint256 allowance, uint256 amount);
/// @notice A signed action's deadline (unix seconds) has passed.
error SignatureExpired(uint256 deadline, uint256 timestamp);
/// @notice The signature of a signed action does not belong to `signer` (tampered, other signer,
/// other chain or contract).
error InvalidSignature(address signer);
/// @notice A matured request was not carried out in time; cancel it and ask again.
error RequestExpired(uint256 expiryBlock, uint256 currentBlock);
/// @notice A withdrawal lockup must outlast a proposal's voting period plus execution delay, so
/// that stake under a pending proposal (a slash) cannot leave before it executes.
error LockupTooShort(uint256 lockupDuration, uint256 minimum);
