// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Registry} from "./Registry.sol";
import {RegistryKeys} from "./RegistryKeys.sol";
import {IGovernanceTimings} from "./Interfaces.sol";
import {LockupTooShort} from "./Errors.sol";

// Blocks a matured request stays executable at least; past its window it expires, so that
// nobody holds an exit they can take at any later moment (for example when a slash is proposed).
uint256 constant MIN_EXECUTION_WINDOW = 100;

/// @notice The last block at which a request with this lockup, made now, can be carried out.
function requestExpiry(uint256 lockupExpiryBlock, uint256 lockupDuration) pure returns (uint256) {
    return lockupExpiryBlock + (lockupDuration > MIN_EXECUTION_WINDOW ? lockupDuration : MIN_EXECUTION_WINDOW);
}

/// @notice Revert unless `duration` outlasts Governance's voting period plus execution delay
/// (checked only once a Governance is registered: during set-up there is none yet).
function requireLockupOutlastsProposals(Registry registry, uint256 duration) view {
    address governance = registry.getContract(RegistryKeys.GOVERNANCE);
    if (governance == address(0)) return;
    uint256 minimum = IGovernanceTimings(governance).votingPeriod() + IGovernanceTimings(governance).executionDelay() + 1;
    if (duration < minimum) revert LockupTooShort(duration, minimum);
}
