/**
 * The Solidity library that instrumented sources call. EDR's coverage inspector records the input
 * of every call to 0xc0bEc0BEc0BeC0bEC0beC0bEC0bEC0beC0beC0BE as one hit (Hardhat 3 uses the same
 * address); the call's result is ignored. `sendHit` must be callable from pure functions, which
 * statement instrumentation also enters, so the view implementation is reached through a
 * function pointer cast to pure. `branch` reports which way a condition went and returns it
 * unchanged, so wrapping a condition in it changes neither its value nor its evaluation order.
 */
export const COVERAGE_LIBRARY_FILE = "__AsixCoverage.sol";

export const COVERAGE_LIBRARY_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

library __HardhatCoverage {
    address internal constant COVERAGE_ADDRESS = 0xc0bEc0BEc0BeC0bEC0beC0bEC0bEC0beC0beC0BE;

    function _hit(bytes32 tag) private view {
        address target = COVERAGE_ADDRESS;
        /// @solidity memory-safe-assembly
        assembly {
            mstore(0x00, tag)
            pop(staticcall(gas(), target, 0x00, 0x20, 0x00, 0x00))
        }
    }

    function _asPure(function(bytes32) internal view f) private pure returns (function(bytes32) internal pure g) {
        assembly {
            g := f
        }
    }

    function sendHit(bytes32 tag) internal pure {
        _asPure(_hit)(tag);
    }

    function branch(bool condition, bytes32 whenTrue, bytes32 whenFalse) internal pure returns (bool) {
        sendHit(condition ? whenTrue : whenFalse);
        return condition;
    }
}
`;
