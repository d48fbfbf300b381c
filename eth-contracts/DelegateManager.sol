// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "./Governed.sol";
import {SignedAction} from "./SignedAction.sol";
import {Registry} from "./Registry.sol";
import {RegistryKeys, PermitSignature} from "./RegistryKeys.sol";
import {Staking} from "./Staking.sol";
import {permitStaking} from "./StakingPermit.sol";
import {ServiceProviderFactory} from "./ServiceProviderFactory.sol";
import {ClaimsManager} from "./ClaimsManager.sol";
import {IStakeLocks, IActiveStake} from "./Interfaces.sol";
import {requestExpiry, requireLockupOutlastsProposals} from "./Lockups.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {
    ClaimPending,
    InsufficientStake,
    LockupNotEnded,
    NotAServiceProvider,
    RequestExpired,
    StakeAboveMaximum,
    ZeroAmount
} from "./Errors.sol";

/// @title DelegateManager
/// @notice Token holders delegate stake to service providers and share their rewards: a round's
/// reward is split pro rata between the operator's own stake and each delegation, and the
/// operator keeps its deployer cut (percent) of each delegator's share. Governance slashes here,
/// operator and delegators losing pro rata. Each delegator has at most one pending undelegation.
/// A delegator without ETH can sign a delegation (EIP-712) for a relayer to send: delegateStakeFor.
/// Stake queued for undelegation earns nothing and does not vote; a matured request expires after
/// its execution window. Each delegator's own active stake is checkpointed by block for votes.
contract DelegateManager is Governed, SignedAction, IStakeLocks, IActiveStake {
    using Checkpoints for Checkpoints.Trace208;

    struct UndelegateRequest {
        address serviceProvider;
        uint256 amount;
        uint256 lockupExpiryBlock;
        uint256 expiryBlock;
    }

    /// @notice updateMaxDelegators cannot go above this: claimRewards and slash walk the list.
    uint256 public constant MAX_DELEGATORS_LIMIT = 175;

    /// @notice The deployer cut is a percentage of this base (as in ServiceProviderFactory).
    uint256 public constant DEPLOYER_CUT_BASE = 100;

    /// @notice EIP-712 type of the delegation a delegator signs for delegateStakeFor.
    bytes32 public constant DELEGATE_STAKE_TYPEHASH = keccak256(
        "DelegateStake(address delegator,address serviceProvider,uint256 amount,uint256 nonce,uint256 deadline)"
    );

    /// @notice Where the other contracts are looked up.
    Registry public immutable registry;
    /// @notice Blocks between requestUndelegateStake and undelegateStake.
    uint256 public undelegateLockupDuration;
    /// @notice Blocks between requestRemoveDelegator and removeDelegator.
    uint256 public removeDelegatorLockupDuration;
    /// @notice Delegators one service provider may have.
    uint256 public maxDelegators;
    /// @notice Smallest delegation a delegator may hold with one service provider, wei.
    uint256 public minDelegationAmount;

    mapping(address serviceProvider => address[] delegators) private spDelegators;
    mapping(address serviceProvider => uint256 amount) private spDelegatedTotal;
    mapping(address delegator => mapping(address serviceProvider => uint256 amount)) private delegations;
    mapping(address delegator => uint256 amount) private delegatorTotalStake;
    mapping(address delegator => UndelegateRequest) private undelegateRequests;
    mapping(address serviceProvider => mapping(address delegator => uint256 lockupExpiryBlock)) private
        removeDelegatorRequests;
    // sum of the pending undelegations from each service provider (stake that earns nothing)
    mapping(address serviceProvider => uint256 amount) private spLockedTotal;
    // delegators an operator removed may not delegate to it again (slot squatting)
    mapping(address serviceProvider => mapping(address delegator => bool)) private removedDelegators;
    // delegatorTotalStake minus the pending undelegation, by block; rewards compounded into a
    // delegation enter it at the delegator's next change (votes count less, never more)
    mapping(address delegator => Checkpoints.Trace208) private activeStakeHistory;

    /// @notice `delegator` added `increaseAmount` to its delegation to `serviceProvider`.
    event IncreaseDelegatedStake(address indexed delegator, address indexed serviceProvider, uint256 increaseAmount);
    /// @notice `delegator` asked to withdraw `amount` from `serviceProvider` after the lockup.
    event UndelegateStakeRequested(
        address indexed delegator, address indexed serviceProvider, uint256 amount, uint256 lockupExpiryBlock
    );
    /// @notice The pending undelegation was cancelled.
    event UndelegateStakeRequestCancelled(address indexed delegator, address indexed serviceProvider, uint256 amount);
    /// @notice The pending undelegation was carried out.
    event UndelegateStakeRequestEvaluated(address indexed delegator, address indexed serviceProvider, uint256 amount);
    /// @notice A round's reward was split: `deployerReward` to the operator, `delegatorsReward` to delegators.
    event RewardsClaimed(
        address indexed serviceProvider, uint256 rewards, uint256 deployerReward, uint256 delegatorsReward
    );
    /// @notice Governance slashed `amount` from `serviceProvider` (own and delegated stake).
    event Slash(address indexed serviceProvider, uint256 amount, uint256 newTotal);
    /// @notice The operator asked to remove `delegator` after the lockup.
    event RemoveDelegatorRequested(
        address indexed serviceProvider, address indexed delegator, uint256 lockupExpiryBlock
    );
    /// @notice The pending removal was cancelled.
    event RemoveDelegatorRequestCancelled(address indexed serviceProvider, address indexed delegator);
    /// @notice `delegator` was removed and `unstakedAmount` returned to it.
    event DelegatorRemoved(address indexed serviceProvider, address indexed delegator, uint256 unstakedAmount);
    /// @notice A governance parameter changed.
    event UndelegateLockupDurationUpdated(uint256 duration);
    /// @notice A governance parameter changed.
    event RemoveDelegatorLockupDurationUpdated(uint256 duration);
    /// @notice A governance parameter changed.
    event MaxDelegatorsUpdated(uint256 maxDelegators);
    /// @notice A governance parameter changed.
    event MinDelegationUpdated(uint256 minDelegationAmount);

    /// @notice The delegation would be below the minimum.
    error DelegationBelowMinimum(uint256 amount, uint256 minimum);
    /// @notice The service provider already has the maximum number of delegators.
    error TooManyDelegators(address serviceProvider, uint256 maximum);
    /// @notice `delegator` holds no delegation with `serviceProvider`.
    error NotADelegator(address serviceProvider, address delegator);
    /// @notice The delegator already has a pending undelegation.
    error UndelegateRequestPending(address delegator, address serviceProvider, uint256 amount);
    /// @notice There is no undelegation to carry out or cancel.
    error NoPendingUndelegate(address delegator);
    /// @notice A removal is pending already.
    error RemoveDelegatorRequestPending(address serviceProvider, address delegator, uint256 lockupExpiryBlock);
    /// @notice There is no removal to carry out or cancel.
    error NoPendingRemoveDelegator(address serviceProvider, address delegator);
    /// @notice Only the operator may remove its delegators.
    error NotServiceProviderOwner(address serviceProvider, address caller);
    /// @notice The operator removed this delegator; it may not delegate to that operator again.
    error DelegatorRemovedByOperator(address serviceProvider, address delegator);
    /// @notice maxDelegators is bounded by MAX_DELEGATORS_LIMIT.
    error MaxDelegatorsTooHigh(uint256 maxDelegators, uint256 limit);

    /// @param registry_ the Registry
    /// @param governance_ the initial governance (the deployer, until it hands over)
    /// @param undelegateLockupDuration_ blocks
    /// @param removeDelegatorLockupDuration_ blocks
    /// @param maxDelegators_ per service provider
    /// @param minDelegationAmount_ wei
    constructor(
        Registry registry_,
        address governance_,
        uint256 undelegateLockupDuration_,
        uint256 removeDelegatorLockupDuration_,
        uint256 maxDelegators_,
        uint256 minDelegationAmount_
    ) Governed(governance_) SignedAction("DelegateManager", "1") {
        registry = registry_;
        undelegateLockupDuration = undelegateLockupDuration_;
        removeDelegatorLockupDuration = removeDelegatorLockupDuration_;
        maxDelegators = maxDelegators_;
        minDelegationAmount = minDelegationAmount_;
    }

    // ----- delegation -----

    /// @notice Delegate `amount` to `serviceProvider` (approve the Staking contract first).
    /// @param serviceProvider an operator with at least one registered node
    /// @param amount wei
    /// @return delegatedAmount the caller's delegation to `serviceProvider` afterwards
    function delegateStake(address serviceProvider, uint256 amount) external returns (uint256 delegatedAmount) {
        return _delegateStake(msg.sender, serviceProvider, amount);
    }

    /// @notice delegateStake with an EIP-2612 permit for the Staking contract, so that one signature
    /// is one call. A failed permit is accepted when the allowance already covers the amount.
    /// @param serviceProvider an operator with at least one registered node
    /// @param amount wei; also the permit value
    /// @param permit the caller's permit signature (spender: Staking)
    /// @return delegatedAmount the caller's delegation to `serviceProvider` afterwards
    function delegateStakeWithPermit(address serviceProvider, uint256 amount, PermitSignature calldata permit)
        external
        returns (uint256 delegatedAmount)
    {
        permitStaking(registry, msg.sender, amount, permit);
        return _delegateStake(msg.sender, serviceProvider, amount);
    }

    /// @notice Delegate `delegator`'s tokens on its signature, for a relayer that pays the gas: the
    /// delegator signs a permit (spender Staking, value `amount`) and a DelegateStake message; the
    /// sender gains nothing. A failed permit is accepted when the allowance already covers the amount.
    /// @param delegator the token holder who signed, and whose delegation grows
    /// @param serviceProvider an operator with at least one registered node
    /// @param amount wei; also the permit value
    /// @param permit `delegator`'s permit signature (spender: Staking)
    /// @param nonce `delegator`'s next nonce here (nonces(delegator))
    /// @param deadline unix seconds after which the signature is refused
    /// @param signature `delegator`'s EIP-712 signature of DelegateStake(delegator, serviceProvider,
    /// amount, nonce, deadline) under this contract's domain
    /// @return delegatedAmount `delegator`'s delegation to `serviceProvider` afterwards
    function delegateStakeFor(
        address delegator,
        address serviceProvider,
        uint256 amount,
        PermitSignature calldata permit,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 delegatedAmount) {
        bytes32 structHash =
            keccak256(abi.encode(DELEGATE_STAKE_TYPEHASH, delegator, serviceProvider, amount, nonce, deadline));
        _useSignature(delegator, structHash, nonce, deadline, signature);
        permitStaking(registry, delegator, amount, permit);
        return _delegateStake(delegator, serviceProvider, amount);
    }

    /// @notice Ask to withdraw `amount` of the caller's delegation to `serviceProvider` after the
    /// lockup. What remains must be zero or at least the minimum delegation.
    /// @param serviceProvider the operator
    /// @param amount wei
    /// @return lockupExpiryBlock the first block at which undelegateStake succeeds
    function requestUndelegateStake(address serviceProvider, uint256 amount)
        external
        returns (uint256 lockupExpiryBlock)
    {
        if (amount == 0) revert ZeroAmount();
        UndelegateRequest memory pending = undelegateRequests[msg.sender];
        if (pending.lockupExpiryBlock != 0) {
            revert UndelegateRequestPending(msg.sender, pending.serviceProvider, pending.amount);
        }
        _requireNoPendingClaim(serviceProvider);
        uint256 delegated = delegations[msg.sender][serviceProvider];
        if (delegated == 0) revert NotADelegator(serviceProvider, msg.sender);
        if (amount > delegated) revert InsufficientStake(msg.sender, delegated, amount);
        uint256 remaining = delegated - amount;
        if (remaining != 0 && remaining < minDelegationAmount) {
            revert DelegationBelowMinimum(remaining, minDelegationAmount);
        }
        lockupExpiryBlock = block.number + undelegateLockupDuration;
        undelegateRequests[msg.sender] = UndelegateRequest(
            serviceProvider, amount, lockupExpiryBlock, requestExpiry(lockupExpiryBlock, undelegateLockupDuration)
        );
        spLockedTotal[serviceProvider] += amount;
        _syncActiveStake(msg.sender);
        emit UndelegateStakeRequested(msg.sender, serviceProvider, amount, lockupExpiryBlock);
    }

    /// @notice Cancel the caller's pending undelegation (not while the provider has a claim
    /// pending: the stake would earn a round it was locked at the start of).
    function cancelUndelegateStakeRequest() external {
        UndelegateRequest memory pending = undelegateRequests[msg.sender];
        if (pending.lockupExpiryBlock == 0) revert NoPendingUndelegate(msg.sender);
        _requireNoPendingClaim(pending.serviceProvider);
        delete undelegateRequests[msg.sender];
        spLockedTotal[pending.serviceProvider] -= pending.amount;
        _syncActiveStake(msg.sender);
        emit UndelegateStakeRequestCancelled(msg.sender, pending.serviceProvider, pending.amount);
    }

    /// @notice Carry out the caller's pending undelegation once its lockup has ended and before it
    /// expires; the tokens go back to the caller.
    /// @return delegatedAmount the caller's delegation to that service provider afterwards
    function undelegateStake() external returns (uint256 delegatedAmount) {
        UndelegateRequest memory pending = undelegateRequests[msg.sender];
        if (pending.lockupExpiryBlock == 0) revert NoPendingUndelegate(msg.sender);
        if (block.number < pending.lockupExpiryBlock) revert LockupNotEnded(pending.lockupExpiryBlock, block.number);
        if (block.number > pending.expiryBlock) revert RequestExpired(pending.expiryBlock, block.number);
        _requireNoPendingClaim(pending.serviceProvider);
        delete undelegateRequests[msg.sender];
        spLockedTotal[pending.serviceProvider] -= pending.amount;
        // a slash shrinks the request together with the delegation, so it is at most the delegation
        uint256 amount = pending.amount;
        delegatedAmount = _reduceDelegation(pending.serviceProvider, msg.sender, amount);
        _syncActiveStake(msg.sender);
        emit UndelegateStakeRequestEvaluated(msg.sender, pending.serviceProvider, amount);
        _staking().undelegateStakeFor(pending.serviceProvider, msg.sender, amount);
    }

    // ----- rewards -----

    /// @notice Claim `serviceProvider`'s reward for the current round and split it pro rata to
    /// active stake (stake not queued for withdrawal): each delegator gets its share minus the
    /// deployer cut; the operator gets the rest. An operator without a node or without active
    /// stake of its own takes no cut. Anyone may call.
    /// @param serviceProvider the operator
    function claimRewards(address serviceProvider) external {
        ServiceProviderFactory factory = _factory();
        // pays the reward into the provider's stake in Staking; the split below books it
        uint256 rewards = ClaimsManager(registry.getContract(RegistryKeys.CLAIMS_MANAGER)).processClaim(serviceProvider);
        (uint256 deployerStake, uint256 deployerCut,, uint256 endpoints,,) = factory.getServiceProviderDetails(serviceProvider);
        (uint256 deployerLocked,) = factory.getPendingDecreaseStakeRequest(serviceProvider);
        uint256 deployerActive = deployerStake - deployerLocked;
        if (endpoints == 0 || deployerActive == 0) deployerCut = 0;
        uint256 totalActive = deployerActive + spDelegatedTotal[serviceProvider] - spLockedTotal[serviceProvider];
        uint256 delegatorsReward = totalActive > 0 ? _payDelegators(serviceProvider, rewards, deployerCut, totalActive) : 0;
        spDelegatedTotal[serviceProvider] += delegatorsReward;
        uint256 deployerReward = rewards - delegatorsReward;
        emit RewardsClaimed(serviceProvider, rewards, deployerReward, delegatorsReward);
        factory.updateServiceProviderStake(serviceProvider, deployerStake + deployerReward);
    }

    // ----- slash -----

    /// @notice Slash `amount` from `slashAddress`: each delegator loses its pro-rata share (rounded
    /// down), the operator the rest (at most its own stake). The tokens go to the Governance
    /// treasury. Governance only; not while the provider has a claim pending.
    /// @param amount wei
    /// @param slashAddress the operator
    function slash(uint256 amount, address slashAddress) external onlyGovernance {
        if (amount == 0) revert ZeroAmount();
        _requireNoPendingClaim(slashAddress);
        Staking staking = _staking();
        uint256 totalStake = staking.totalStakedFor(slashAddress);
        if (amount > totalStake) revert InsufficientStake(slashAddress, totalStake, amount);
        ServiceProviderFactory factory = _factory();
        (uint256 deployerStake,,,,,) = factory.getServiceProviderDetails(slashAddress);

        uint256 delegatorsLoss = _slashDelegators(slashAddress, amount, totalStake);
        uint256 deployerLoss = amount - delegatorsLoss;
        if (deployerLoss > deployerStake) deployerLoss = deployerStake;
        uint256 slashed = delegatorsLoss + deployerLoss;
        emit Slash(slashAddress, slashed, totalStake - slashed);
        factory.updateServiceProviderStake(slashAddress, deployerStake - deployerLoss);
        staking.slash(slashed, slashAddress);
    }

    // ----- removing delegators -----

    /// @notice As an operator, ask to remove `delegator` (returning its whole delegation) after the lockup.
    /// @param serviceProvider the caller
    /// @param delegator the delegator to remove
    function requestRemoveDelegator(address serviceProvider, address delegator) external {
        if (msg.sender != serviceProvider) revert NotServiceProviderOwner(serviceProvider, msg.sender);
        if (delegations[delegator][serviceProvider] == 0) revert NotADelegator(serviceProvider, delegator);
        uint256 existing = removeDelegatorRequests[serviceProvider][delegator];
        if (existing != 0) revert RemoveDelegatorRequestPending(serviceProvider, delegator, existing);
        uint256 lockupExpiryBlock = block.number + removeDelegatorLockupDuration;
        removeDelegatorRequests[serviceProvider][delegator] = lockupExpiryBlock;
        emit RemoveDelegatorRequested(serviceProvider, delegator, lockupExpiryBlock);
    }

    /// @notice Cancel a pending removal.
    /// @param serviceProvider the caller
    /// @param delegator the delegator
    function cancelRemoveDelegatorRequest(address serviceProvider, address delegator) external {
        if (msg.sender != serviceProvider) revert NotServiceProviderOwner(serviceProvider, msg.sender);
        if (removeDelegatorRequests[serviceProvider][delegator] == 0) {
            revert NoPendingRemoveDelegator(serviceProvider, delegator);
        }
        delete removeDelegatorRequests[serviceProvider][delegator];
        emit RemoveDelegatorRequestCancelled(serviceProvider, delegator);
    }

    /// @notice Remove `delegator` once the lockup has ended, returning its whole delegation to it.
    /// The delegator cannot delegate to this operator again (its slot would be squatted again).
    /// @param serviceProvider the caller
    /// @param delegator the delegator
    function removeDelegator(address serviceProvider, address delegator) external {
        if (msg.sender != serviceProvider) revert NotServiceProviderOwner(serviceProvider, msg.sender);
        uint256 expiry = removeDelegatorRequests[serviceProvider][delegator];
        if (expiry == 0) revert NoPendingRemoveDelegator(serviceProvider, delegator);
        if (block.number < expiry) revert LockupNotEnded(expiry, block.number);
        _requireNoPendingClaim(serviceProvider);
        delete removeDelegatorRequests[serviceProvider][delegator];
        uint256 amount = delegations[delegator][serviceProvider];
        if (undelegateRequests[delegator].serviceProvider == serviceProvider) {
            UndelegateRequest memory pending = undelegateRequests[delegator];
            delete undelegateRequests[delegator];
            spLockedTotal[serviceProvider] -= pending.amount;
            emit UndelegateStakeRequestCancelled(delegator, serviceProvider, pending.amount);
        }
        _reduceDelegation(serviceProvider, delegator, amount);
        removedDelegators[serviceProvider][delegator] = true;
        _syncActiveStake(delegator);
        emit DelegatorRemoved(serviceProvider, delegator, amount);
        if (amount > 0) _staking().undelegateStakeFor(serviceProvider, delegator, amount);
    }

    // ----- governance parameters -----

    /// @notice Set the undelegate lockup. Governance only.
    /// @param duration blocks
    function updateUndelegateLockupDuration(uint256 duration) external onlyGovernance {
        requireLockupOutlastsProposals(registry, duration);
        undelegateLockupDuration = duration;
        emit UndelegateLockupDurationUpdated(duration);
    }

    /// @notice Set the remove-delegator lockup. Governance only.
    /// @param duration blocks
    function updateRemoveDelegatorLockupDuration(uint256 duration) external onlyGovernance {
        removeDelegatorLockupDuration = duration;
        emit RemoveDelegatorLockupDurationUpdated(duration);
    }

    /// @notice Set the maximum delegators per service provider. Governance only.
    /// @param maxDelegators_ count
    function updateMaxDelegators(uint256 maxDelegators_) external onlyGovernance {
        if (maxDelegators_ > MAX_DELEGATORS_LIMIT) revert MaxDelegatorsTooHigh(maxDelegators_, MAX_DELEGATORS_LIMIT);
        maxDelegators = maxDelegators_;
        emit MaxDelegatorsUpdated(maxDelegators_);
    }

    /// @notice Set the minimum delegation. Governance only.
    /// @param minDelegationAmount_ wei
    function updateMinDelegationAmount(uint256 minDelegationAmount_) external onlyGovernance {
        minDelegationAmount = minDelegationAmount_;
        emit MinDelegationUpdated(minDelegationAmount_);
    }

    // ----- reads -----

    /// @notice The delegators of `serviceProvider`.
    /// @param serviceProvider the operator
    function getDelegatorsList(address serviceProvider) external view returns (address[] memory) {
        return spDelegators[serviceProvider];
    }

    /// @notice `delegator`'s delegation to `serviceProvider`, wei.
    /// @param delegator the delegator
    /// @param serviceProvider the operator
    function getDelegatorStakeForServiceProvider(address delegator, address serviceProvider)
        external
        view
        returns (uint256)
    {
        return delegations[delegator][serviceProvider];
    }

    /// @notice Everything `delegator` has delegated, wei.
    /// @param delegator the delegator
    function getTotalDelegatorStake(address delegator) external view returns (uint256) {
        return delegatorTotalStake[delegator];
    }

    /// @notice Everything delegated to `serviceProvider`, wei.
    /// @param serviceProvider the operator
    function getTotalDelegatedToServiceProvider(address serviceProvider) external view returns (uint256) {
        return spDelegatedTotal[serviceProvider];
    }

    /// @notice `delegator`'s pending undelegation (zeros if none).
    /// @param delegator the delegator
    function getPendingUndelegateRequest(address delegator)
        external
        view
        returns (address serviceProvider, uint256 amount, uint256 lockupExpiryBlock)
    {
        UndelegateRequest memory pending = undelegateRequests[delegator];
        return (pending.serviceProvider, pending.amount, pending.lockupExpiryBlock);
    }

    /// @notice The last block at which `delegator`'s pending undelegation can be carried out (0: none).
    /// @param delegator the delegator
    function getUndelegateRequestExpiry(address delegator) external view returns (uint256) {
        return undelegateRequests[delegator].expiryBlock;
    }

    /// @notice Stake behind `serviceProvider` queued for withdrawal (its pending decrease plus its
    /// delegators' pending undelegations), which earns no rewards, wei.
    /// @param serviceProvider the operator
    function getLockedStake(address serviceProvider) external view returns (uint256) {
        (uint256 deployerLocked,) = _factory().getPendingDecreaseStakeRequest(serviceProvider);
        return deployerLocked + spLockedTotal[serviceProvider];
    }

    /// @notice `delegator`'s delegated stake not queued for withdrawal, at the end of `blockNumber`
    /// (its voting weight as a delegator), wei.
    /// @param delegator the delegator
    /// @param blockNumber a past or current block
    function activeStakeAt(address delegator, uint256 blockNumber) external view returns (uint256) {
        return activeStakeHistory[delegator].upperLookupRecent(SafeCast.toUint48(blockNumber));
    }

    /// @notice Whether `serviceProvider` removed `delegator` (which then cannot delegate to it again).
    /// @param serviceProvider the operator
    /// @param delegator the delegator
    function isRemovedDelegator(address serviceProvider, address delegator) external view returns (bool) {
        return removedDelegators[serviceProvider][delegator];
    }

    /// @notice The first block at which `serviceProvider` can remove `delegator` (0: no request).
    /// @param serviceProvider the operator
    /// @param delegator the delegator
    function getPendingRemoveDelegatorRequest(address serviceProvider, address delegator)
        external
        view
        returns (uint256)
    {
        return removeDelegatorRequests[serviceProvider][delegator];
    }

    // ----- internals -----

    function _delegateStake(address delegator, address serviceProvider, uint256 amount)
        private
        returns (uint256 delegatedAmount)
    {
        if (amount == 0) revert ZeroAmount();
        (,,, uint256 endpoints,, uint256 maxStake) = _factory().getServiceProviderDetails(serviceProvider);
        if (endpoints == 0) revert NotAServiceProvider(serviceProvider);
        if (removedDelegators[serviceProvider][delegator]) revert DelegatorRemovedByOperator(serviceProvider, delegator);
        _requireNoPendingClaim(serviceProvider);
        uint256 previous = delegations[delegator][serviceProvider];
        delegatedAmount = previous + amount;
        if (delegatedAmount < minDelegationAmount) revert DelegationBelowMinimum(delegatedAmount, minDelegationAmount);
        if (previous == 0 && spDelegators[serviceProvider].length >= maxDelegators) {
            revert TooManyDelegators(serviceProvider, maxDelegators);
        }
        Staking staking = _staking();
        uint256 newTotal = staking.totalStakedFor(serviceProvider) + amount;
        if (newTotal > maxStake) revert StakeAboveMaximum(newTotal, maxStake);

        if (previous == 0) spDelegators[serviceProvider].push(delegator);
        delegations[delegator][serviceProvider] = delegatedAmount;
        delegatorTotalStake[delegator] += amount;
        spDelegatedTotal[serviceProvider] += amount;
        _syncActiveStake(delegator);
        emit IncreaseDelegatedStake(delegator, serviceProvider, amount);
        staking.delegateStakeFor(serviceProvider, delegator, amount);
    }

    /// @dev Add each delegator's share of `rewards` (pro rata to its active delegation, less the
    /// cut) to its delegation; returns the sum added.
    function _payDelegators(address serviceProvider, uint256 rewards, uint256 deployerCut, uint256 totalActive)
        private
        returns (uint256 delegatorsReward)
    {
        address[] storage delegators = spDelegators[serviceProvider];
        uint256 n = delegators.length;
        for (uint256 i = 0; i < n; i++) {
            address delegator = delegators[i];
            uint256 active = delegations[delegator][serviceProvider];
            UndelegateRequest storage pending = undelegateRequests[delegator];
            if (pending.serviceProvider == serviceProvider) active -= pending.amount;
            uint256 share = (rewards * active) / totalActive;
            uint256 net = share - (share * deployerCut) / DEPLOYER_CUT_BASE;
            delegations[delegator][serviceProvider] += net;
            delegatorTotalStake[delegator] += net;
            delegatorsReward += net;
        }
    }

    /// @dev Lower a delegation (dropping the delegator from the list at zero); returns what remains.
    function _reduceDelegation(address serviceProvider, address delegator, uint256 amount)
        private
        returns (uint256 remaining)
    {
        remaining = delegations[delegator][serviceProvider] - amount;
        delegations[delegator][serviceProvider] = remaining;
        delegatorTotalStake[delegator] -= amount;
        spDelegatedTotal[serviceProvider] -= amount;
        if (remaining == 0) _removeFromList(serviceProvider, delegator);
    }

    /// @dev Take each delegator's pro-rata share of `amount`; returns the sum taken.
    function _slashDelegators(address serviceProvider, uint256 amount, uint256 totalStake)
        private
        returns (uint256 taken)
    {
        address[] storage delegators = spDelegators[serviceProvider];
        // walk backwards: _reduceDelegation may swap-and-pop the current entry
        for (uint256 i = delegators.length; i > 0; i--) {
            address delegator = delegators[i - 1];
            uint256 delegated = delegations[delegator][serviceProvider];
            uint256 loss = (amount * delegated) / totalStake;
            if (loss == 0) continue;
            uint256 remaining = _reduceDelegation(serviceProvider, delegator, loss);
            UndelegateRequest storage pending = undelegateRequests[delegator];
            if (pending.serviceProvider == serviceProvider && pending.amount > remaining) {
                spLockedTotal[serviceProvider] -= pending.amount - remaining;
                if (remaining == 0) delete undelegateRequests[delegator];
                else pending.amount = remaining;
            }
            _syncActiveStake(delegator);
            taken += loss;
        }
    }

    /// @dev Checkpoint `delegator`'s active stake (all its delegations minus its pending undelegation).
    function _syncActiveStake(address delegator) private {
        uint256 active = delegatorTotalStake[delegator] - undelegateRequests[delegator].amount;
        activeStakeHistory[delegator].push(SafeCast.toUint48(block.number), SafeCast.toUint208(active));
    }

    function _removeFromList(address serviceProvider, address delegator) private {
        address[] storage delegators = spDelegators[serviceProvider];
        uint256 n = delegators.length;
        for (uint256 i = 0; i < n; i++) {
            if (delegators[i] == delegator) {
                delegators[i] = delegators[n - 1];
                delegators.pop();
                return;
            }
        }
    }

    function _requireNoPendingClaim(address serviceProvider) private view {
        if (ClaimsManager(registry.getContract(RegistryKeys.CLAIMS_MANAGER)).claimPending(serviceProvider)) {
            revert ClaimPending(serviceProvider);
        }
    }

    function _staking() private view returns (Staking) {
        return Staking(registry.getContract(RegistryKeys.STAKING));
    }

    function _factory() private view returns (ServiceProviderFactory) {
        return ServiceProviderFactory(registry.getContract(RegistryKeys.SERVICE_PROVIDER_FACTORY));
    }
}
