// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Registry} from "./Registry.sol";
import {RegistryKeys} from "./RegistryKeys.sol";
import {CallerNotAllowed, InsufficientStake, ZeroAmount} from "./Errors.sol";

/// @title Staking
/// @notice Holds every staked token. A service provider's stake (its own plus what delegators
/// put behind it) is checkpointed per block, as is the total, so that rewards and votes can read
/// the stake at a past block. Only ServiceProviderFactory, DelegateManager and ClaimsManager move
/// stake; token holders approve (or permit) this contract, which pulls the tokens.
contract Staking {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Where the token and the allowed callers are looked up.
    Registry public immutable registry;
    /// @notice The staked token.
    IERC20 public immutable token;

    // account => (block => stake). A service provider's stake includes the stake delegated to it.
    mapping(address account => Checkpoints.Trace208) private stakeHistory;
    Checkpoints.Trace208 private totalStakedHistory;

    /// @notice `account`'s stake grew by `amount` to `total` (`from` paid the tokens).
    event Staked(address indexed account, address indexed from, uint256 amount, uint256 total);
    /// @notice `account`'s stake shrank by `amount` to `total` (`to` received the tokens).
    event Unstaked(address indexed account, address indexed to, uint256 amount, uint256 total);
    /// @notice `account` was slashed by `amount` to `total`; the tokens went to `treasury`.
    event Slashed(address indexed account, uint256 amount, uint256 total, address treasury);

    /// @param registry_ the Registry
    /// @param token_ the staked ERC-20
    constructor(Registry registry_, IERC20 token_) {
        registry = registry_;
        token = token_;
    }

    modifier onlyRegistered(bytes32 key) {
        if (msg.sender != registry.getContract(key)) revert CallerNotAllowed(msg.sender);
        _;
    }

    /// @notice Stake `amount` for `account`, pulling the tokens from `account`. Factory only.
    /// @param account the service provider
    /// @param amount wei
    function stakeFor(address account, uint256 amount)
        external
        onlyRegistered(RegistryKeys.SERVICE_PROVIDER_FACTORY)
    {
        uint256 total = _add(account, amount);
        emit Staked(account, account, amount, total);
        token.safeTransferFrom(account, address(this), amount);
    }

    /// @notice Unstake `amount` of `account`'s stake back to `account`. Factory only.
    /// @param account the service provider
    /// @param amount wei
    function unstakeFor(address account, uint256 amount)
        external
        onlyRegistered(RegistryKeys.SERVICE_PROVIDER_FACTORY)
    {
        uint256 total = _subtract(account, amount);
        emit Unstaked(account, account, amount, total);
        token.safeTransfer(account, amount);
    }

    /// @notice Add `delegator`'s `amount` to `serviceProvider`'s stake, pulling from `delegator`.
    /// DelegateManager only.
    /// @param serviceProvider the operator delegated to
    /// @param delegator who pays
    /// @param amount wei
    function delegateStakeFor(address serviceProvider, address delegator, uint256 amount)
        external
        onlyRegistered(RegistryKeys.DELEGATE_MANAGER)
    {
        uint256 total = _add(serviceProvider, amount);
        emit Staked(serviceProvider, delegator, amount, total);
        token.safeTransferFrom(delegator, address(this), amount);
    }

    /// @notice Return `amount` of `serviceProvider`'s stake to `delegator`. DelegateManager only.
    /// @param serviceProvider the operator delegated to
    /// @param delegator who receives
    /// @param amount wei
    function undelegateStakeFor(address serviceProvider, address delegator, uint256 amount)
        external
        onlyRegistered(RegistryKeys.DELEGATE_MANAGER)
    {
        uint256 total = _subtract(serviceProvider, amount);
        emit Unstaked(serviceProvider, delegator, amount, total);
        token.safeTransfer(delegator, amount);
    }

    /// @notice Add a round's reward to `serviceProvider`'s stake. The ClaimsManager has transferred
    /// the tokens to this contract in the same call. ClaimsManager only.
    /// @param amount wei
    /// @param serviceProvider the operator whose claim was processed
    function stakeRewards(uint256 amount, address serviceProvider)
        external
        onlyRegistered(RegistryKeys.CLAIMS_MANAGER)
    {
        uint256 total = _add(serviceProvider, amount);
        emit Staked(serviceProvider, msg.sender, amount, total);
    }

    /// @notice Slash `amount` of `account`'s stake; the tokens go to the Governance treasury, so
    /// the token supply is unchanged. DelegateManager only (which itself only obeys Governance).
    /// @param amount wei
    /// @param account the slashed service provider
    function slash(uint256 amount, address account) external onlyRegistered(RegistryKeys.DELEGATE_MANAGER) {
        uint256 total = _subtract(account, amount);
        address treasury = registry.getContract(RegistryKeys.GOVERNANCE);
        emit Slashed(account, amount, total, treasury);
        token.safeTransfer(treasury, amount);
    }

    /// @notice `account`'s current stake (own plus delegated), wei.
    /// @param account the service provider
    function totalStakedFor(address account) external view returns (uint256) {
        return stakeHistory[account].latest();
    }

    /// @notice `account`'s stake at the end of block `blockNumber`, wei.
    /// @param account the service provider
    /// @param blockNumber a past or current block
    function totalStakedForAt(address account, uint256 blockNumber) external view returns (uint256) {
        return stakeHistory[account].upperLookupRecent(SafeCast.toUint48(blockNumber));
    }

    /// @notice Everything staked, wei.
    function totalStaked() external view returns (uint256) {
        return totalStakedHistory.latest();
    }

    /// @notice Everything staked at the end of block `blockNumber`, wei.
    /// @param blockNumber a past or current block
    function totalStakedAt(uint256 blockNumber) external view returns (uint256) {
        return totalStakedHistory.upperLookupRecent(SafeCast.toUint48(blockNumber));
    }

    function _add(address account, uint256 amount) private returns (uint256 total) {
        if (amount == 0) revert ZeroAmount();
        uint48 blockNumber = SafeCast.toUint48(block.number);
        total = stakeHistory[account].latest() + amount;
        stakeHistory[account].push(blockNumber, SafeCast.toUint208(total));
        totalStakedHistory.push(blockNumber, SafeCast.toUint208(totalStakedHistory.latest() + amount));
    }

    function _subtract(address account, uint256 amount) private returns (uint256 total) {
        if (amount == 0) revert ZeroAmount();
        uint256 stake = stakeHistory[account].latest();
        if (amount > stake) revert InsufficientStake(account, stake, amount);
        uint48 blockNumber = SafeCast.toUint48(block.number);
        total = stake - amount;
        stakeHistory[account].push(blockNumber, SafeCast.toUint208(total));
        totalStakedHistory.push(blockNumber, SafeCast.toUint208(totalStakedHistory.latest() - amount));
    }
}
