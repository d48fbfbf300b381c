// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ZeroAddress} from "./Errors.sol";

/// @title Guardian
/// @notice Governance's guardian role: one address that can veto, pause evaluation for a bounded
/// time and tune parameters (the rest lives in Governance). The role moves in two steps (offer,
/// accept) so that a mistyped address never holds it, and it can be given up for good.
abstract contract Guardian {
    /// @notice Can veto, pause evaluation, and tune parameters directly (zero once renounced).
    address public guardian;
    /// @notice The address offered the guardian role, until it accepts.
    address public pendingGuardian;
    /// @notice Evaluation is paused up to and including this block (0: never paused).
    uint256 public pausedUntilBlock;

    /// @notice The guardian role moved (to zero: renounced).
    event GuardianshipTransferred(address indexed newGuardian);
    /// @notice The guardian role was offered to `pendingGuardian`.
    event GuardianshipTransferStarted(address indexed pendingGuardian);
    /// @notice The guardian paused evaluation until `untilBlock` (0: unpaused).
    event EvaluationPaused(uint256 untilBlock);

    /// @notice Only the guardian may call this.
    error NotGuardian(address caller);
    /// @notice Only the address offered the guardian role may accept it.
    error NotPendingGuardian(address caller);
    /// @notice Evaluation is paused until `untilBlock`.
    error EvaluationIsPaused(uint256 untilBlock);
    /// @notice The guardian may pause again from `nextPauseBlock`.
    error PauseTooSoon(uint256 nextPauseBlock);

    constructor(address guardian_) {
        if (guardian_ == address(0)) revert ZeroAddress();
        guardian = guardian_;
    }

    modifier onlyGuardian() {
        if (msg.sender != guardian) revert NotGuardian(msg.sender);
        _;
    }

    /// @notice Offer the guardian role to another address; it moves when that address calls
    /// acceptGuardianship. Guardian only.
    /// @param newGuardian the proposed guardian
    function transferGuardianship(address newGuardian) external onlyGuardian {
        if (newGuardian == address(0)) revert ZeroAddress();
        pendingGuardian = newGuardian;
        emit GuardianshipTransferStarted(newGuardian);
    }

    /// @notice Take the guardian role offered to the caller.
    function acceptGuardianship() external {
        if (msg.sender != pendingGuardian) revert NotPendingGuardian(msg.sender);
        guardian = msg.sender;
        pendingGuardian = address(0);
        emit GuardianshipTransferred(msg.sender);
    }

    /// @notice Give the guardian role up for good: no veto, pause or direct call any more.
    function renounceGuardianship() external onlyGuardian {
        guardian = address(0);
        pendingGuardian = address(0);
        emit GuardianshipTransferred(address(0));
    }

    /// @notice Pause evaluation (and so execution) of every proposal for votingPeriod +
    /// executionDelay blocks, in an emergency, so that the guardian can veto in time. Guardian only;
    /// a new pause only after as many blocks again, so that the guardian cannot stall governance.
    function pauseEvaluation() external onlyGuardian {
        uint256 length = _pauseLength();
        if (pausedUntilBlock != 0 && block.number <= pausedUntilBlock + length) {
            revert PauseTooSoon(pausedUntilBlock + length + 1);
        }
        pausedUntilBlock = block.number + length;
        emit EvaluationPaused(pausedUntilBlock);
    }

    /// @notice End a pause early. Guardian only.
    function unpauseEvaluation() external onlyGuardian {
        pausedUntilBlock = block.number - 1;
        emit EvaluationPaused(0);
    }

    /// @dev Blocks a pause lasts (and must lapse before the next one).
    function _pauseLength() internal view virtual returns (uint256);

    function _requireNotPaused() internal view {
        if (block.number <= pausedUntilBlock) revert EvaluationIsPaused(pausedUntilBlock);
    }
}
