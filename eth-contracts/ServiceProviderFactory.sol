// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "./Governed.sol";
import {SignedAction} from "./SignedAction.sol";
import {Registry} from "./Registry.sol";
import {RegistryKeys, PermitSignature} from "./RegistryKeys.sol";
import {ServiceTypeManager} from "./ServiceTypeManager.sol";
import {Staking} from "./Staking.sol";
import {permitStaking} from "./StakingPermit.sol";
import {ClaimsManager} from "./ClaimsManager.sol";
import {IActiveStake} from "./Interfaces.sol";
import {requestExpiry, requireLockupOutlastsProposals} from "./Lockups.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {
    CallerNotAllowed,
    ClaimPending,
    InsufficientStake,
    LockupNotEnded,
    NotAServiceProvider,
    RequestExpired,
    StakeAboveMaximum,
    StakeBelowMinimum,
    ZeroAddress,
    ZeroAmount
} from "./Errors.sol";

/// @title ServiceProviderFactory
/// @notice Operators register the nodes they run (content or discovery nodes) with stake behind
/// them. An endpoint is unique; service provider ids count up per service type from 1. An
/// operator's own stake must stay at or above the sum of its endpoints' minimums, and its total
/// stake (own plus delegated) at or below the sum of their maximums when it adds stake.
/// Rewards may lift a stake above the maximum and a slash may drop it below the minimum; the
/// bounds then only gate the next deposit or withdrawal. An operator without ETH can sign a stake
/// increase (EIP-712) for a relayer to send: increaseStakeFor. Stake queued for a decrease earns
/// nothing and does not vote; matured requests expire after their execution window. Each
/// operator's own active stake is checkpointed by block for votes.
contract ServiceProviderFactory is Governed, SignedAction, IActiveStake {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice An operator's stake and reward cut. Keyed by operator address.
    struct ServiceProviderDetails {
        uint256 deployerStake; // the operator's own tokens in Staking (not counting delegation)
        uint256 deployerCut; // percent (of 100) of delegators' rewards the operator keeps
        uint256 numberOfEndpoints;
    }

    /// @notice One registered node.
    struct ServiceEndpoint {
        address owner;
        string endpoint;
        uint256 blockNumber;
        address delegateOwnerWallet;
    }

    /// @notice A pending lockup: a stake decrease (amount in wei) or a deployer-cut change (percent).
    struct LockupRequest {
        uint256 value;
        uint256 lockupExpiryBlock;
        uint256 expiryBlock; // the last block at which it can be carried out
    }

    /// @notice The deployer cut is a percentage of this base.
    uint256 public constant DEPLOYER_CUT_BASE = 100;

    /// @notice EIP-712 type of the stake increase an operator signs for increaseStakeFor.
    bytes32 public constant INCREASE_STAKE_TYPEHASH =
        keccak256("IncreaseStake(address owner,uint256 amount,uint256 nonce,uint256 deadline)");

    /// @notice Where the other contracts are looked up.
    Registry public immutable registry;
    /// @notice Blocks between requestDecreaseStake and decreaseStake.
    uint256 public decreaseStakeLockupDuration;
    /// @notice Blocks between requestUpdateDeployerCut and updateDeployerCut.
    uint256 public deployerCutLockupDuration;

    mapping(address owner => ServiceProviderDetails) private spDetails;
    mapping(bytes32 serviceType => uint256 lastId) private serviceProviderTypeIds;
    mapping(bytes32 serviceType => mapping(uint256 spId => ServiceEndpoint)) private serviceProviderInfo;
    mapping(bytes32 endpointHash => uint256 spId) private serviceProviderEndpointToId;
    mapping(address owner => mapping(bytes32 serviceType => uint256[] spIds)) private serviceProviderAddressToId;
    mapping(address owner => LockupRequest) private decreaseStakeRequests;
    mapping(address owner => LockupRequest) private updateDeployerCutRequests;
    // deployerStake minus the pending decrease, by block: the operator's voting weight
    mapping(address owner => Checkpoints.Trace208) private activeStakeHistory;

    /// @notice A node was registered with `stakeAmount` added to its operator's stake.
    event RegisteredServiceProvider(
        uint256 indexed spId, bytes32 indexed serviceType, address indexed owner, string endpoint, uint256 stakeAmount
    );
    /// @notice A node was deregistered; `unstakeAmount` is the operator stake now queued for withdrawal.
    event DeregisteredServiceProvider(
        uint256 indexed spId, bytes32 indexed serviceType, address indexed owner, string endpoint, uint256 unstakeAmount
    );
    /// @notice The operator added stake.
    event IncreasedStake(address indexed owner, uint256 increaseAmount, uint256 newStakeAmount);
    /// @notice The operator asked to withdraw stake after the lockup.
    event DecreaseStakeRequested(address indexed owner, uint256 decreaseAmount, uint256 lockupExpiryBlock);
    /// @notice The pending decrease was cancelled.
    event DecreaseStakeRequestCancelled(address indexed owner, uint256 decreaseAmount, uint256 lockupExpiryBlock);
    /// @notice The pending decrease was carried out.
    event DecreaseStakeRequestEvaluated(address indexed owner, uint256 decreaseAmount, uint256 newStakeAmount);
    /// @notice A node moved to a new endpoint.
    event EndpointUpdated(
        bytes32 indexed serviceType, address indexed owner, string oldEndpoint, string newEndpoint, uint256 indexed spId
    );
    /// @notice A node's delegate owner wallet changed.
    event DelegateOwnerWalletUpdated(
        address indexed owner, bytes32 indexed serviceType, uint256 indexed spId, address updatedWallet
    );
    /// @notice The operator asked to change its deployer cut after the lockup.
    event DeployerCutUpdateRequested(address indexed owner, uint256 updatedCut, uint256 lockupExpiryBlock);
    /// @notice The pending deployer-cut change was cancelled.
    event DeployerCutUpdateRequestCancelled(address indexed owner, uint256 requestedCut, uint256 currentCut);
    /// @notice The deployer cut changed.
    event ServiceProviderCutUpdated(address indexed owner, uint256 updatedCut);
    /// @notice DelegateManager changed the operator's own stake (a reward or a slash).
    event DeployerStakeUpdated(address indexed owner, uint256 newStakeAmount);
    /// @notice A governance parameter changed.
    event DecreaseStakeLockupDurationUpdated(uint256 lockupDuration);
    /// @notice A governance parameter changed.
    event DeployerCutLockupDurationUpdated(uint256 lockupDuration);

    /// @notice The service type is not (or no longer) valid.
    error InvalidServiceType(bytes32 serviceType);
    /// @notice Endpoints must not be empty.
    error EmptyEndpoint();
    /// @notice Another node already uses this endpoint.
    error EndpointAlreadyRegistered(string endpoint, uint256 spId);
    /// @notice No node of this type is registered at this endpoint.
    error EndpointNotRegistered(bytes32 serviceType, string endpoint);
    /// @notice The node belongs to another operator.
    error NotEndpointOwner(string endpoint, address owner, address caller);
    /// @notice A decrease request exists already.
    error DecreaseStakeRequestPending(address owner, uint256 amount, uint256 lockupExpiryBlock);
    /// @notice There is no decrease request to carry out or cancel.
    error NoPendingDecreaseStake(address owner);
    /// @notice A deployer-cut change is pending already.
    error DeployerCutUpdatePending(address owner, uint256 requestedCut, uint256 lockupExpiryBlock);
    /// @notice There is no deployer-cut change to carry out or cancel.
    error NoPendingDeployerCutUpdate(address owner);
    /// @notice The cut is a percentage of 100.
    error DeployerCutTooHigh(uint256 cut, uint256 maximum);

    /// @param registry_ the Registry
    /// @param governance_ the initial governance (the deployer, until it hands over)
    /// @param decreaseStakeLockupDuration_ blocks
    /// @param deployerCutLockupDuration_ blocks
    constructor(
        Registry registry_,
        address governance_,
        uint256 decreaseStakeLockupDuration_,
        uint256 deployerCutLockupDuration_
    ) Governed(governance_) SignedAction("ServiceProviderFactory", "1") {
        registry = registry_;
        decreaseStakeLockupDuration = decreaseStakeLockupDuration_;
        deployerCutLockupDuration = deployerCutLockupDuration_;
    }

    // ----- registration -----

    /// @notice Register a node at `endpoint` and stake `stakeAmount` behind it (the caller must have
    /// approved the Staking contract for that amount).
    /// @param serviceType "content-node" or "discovery-node" as bytes32
    /// @param endpoint the node's public URL, unique
    /// @param stakeAmount tokens added to the caller's stake, wei (may be 0 if the stake already covers the new minimum)
    /// @param delegateOwnerWallet the wallet the node signs with; zero means the caller
    /// @return spId the new id, counted per service type from 1
    function register(bytes32 serviceType, string calldata endpoint, uint256 stakeAmount, address delegateOwnerWallet)
        external
        returns (uint256 spId)
    {
        return _register(serviceType, endpoint, stakeAmount, delegateOwnerWallet);
    }

    /// @notice register, with an EIP-2612 permit for the Staking contract so that one signature is
    /// one call. A permit that fails (for example because it was front-run) is accepted when the
    /// allowance already covers the stake.
    /// @param serviceType "content-node" or "discovery-node" as bytes32
    /// @param endpoint the node's public URL, unique
    /// @param stakeAmount tokens added to the caller's stake, wei; also the permit value
    /// @param delegateOwnerWallet the wallet the node signs with; zero means the caller
    /// @param permit the caller's permit signature (spender: Staking, value: stakeAmount)
    /// @return spId the new id
    function registerWithPermit(
        bytes32 serviceType,
        string calldata endpoint,
        uint256 stakeAmount,
        address delegateOwnerWallet,
        PermitSignature calldata permit
    ) external returns (uint256 spId) {
        permitStaking(registry, msg.sender, stakeAmount, permit);
        return _register(serviceType, endpoint, stakeAmount, delegateOwnerWallet);
    }

    /// @notice Deregister one of the caller's nodes. When it was the last one, the caller's whole
    /// own stake is queued for withdrawal (decreaseStake after the lockup).
    /// @param serviceType the node's type
    /// @param endpoint the node's endpoint
    /// @return spId the id that was freed
    function deregister(bytes32 serviceType, string calldata endpoint) external returns (uint256 spId) {
        spId = _ownedEndpoint(serviceType, endpoint);
        _requireNoPendingClaim(msg.sender);
        ServiceProviderDetails storage details = spDetails[msg.sender];
        uint256 unstakeAmount = 0;
        if (details.numberOfEndpoints > 1) {
            // the remaining endpoints must still cover the whole stake
            (, uint256 maxStake) = _boundsWithout(msg.sender, serviceType);
            uint256 total = _staking().totalStakedFor(msg.sender);
            if (total > maxStake) revert StakeAboveMaximum(total, maxStake);
        }

        delete serviceProviderInfo[serviceType][spId];
        delete serviceProviderEndpointToId[keccak256(bytes(endpoint))];
        _removeId(serviceProviderAddressToId[msg.sender][serviceType], spId);
        details.numberOfEndpoints -= 1;
        if (details.numberOfEndpoints == 0 && details.deployerStake > 0) {
            unstakeAmount = details.deployerStake;
            uint256 expiry = block.number + decreaseStakeLockupDuration;
            decreaseStakeRequests[msg.sender] =
                LockupRequest(unstakeAmount, expiry, requestExpiry(expiry, decreaseStakeLockupDuration));
            _syncActiveStake(msg.sender);
            emit DecreaseStakeRequested(msg.sender, unstakeAmount, expiry);
        }
        emit DeregisteredServiceProvider(spId, serviceType, msg.sender, endpoint, unstakeAmount);
    }

    // ----- stake -----

    /// @notice Add `increaseAmount` to the caller's own stake (approve Staking first).
    /// @param increaseAmount wei
    /// @return newStakeAmount the caller's own stake afterwards
    function increaseStake(uint256 increaseAmount) external returns (uint256 newStakeAmount) {
        return _increaseStake(msg.sender, increaseAmount);
    }

    /// @notice increaseStake with an EIP-2612 permit for the Staking contract.
    /// @param increaseAmount wei; also the permit value
    /// @param permit the caller's permit signature (spender: Staking)
    /// @return newStakeAmount the caller's own stake afterwards
    function increaseStakeWithPermit(uint256 increaseAmount, PermitSignature calldata permit)
        external
        returns (uint256 newStakeAmount)
    {
        permitStaking(registry, msg.sender, increaseAmount, permit);
        return _increaseStake(msg.sender, increaseAmount);
    }

    /// @notice Add to `owner`'s own stake on its signature, for a relayer that pays the gas: the
    /// operator signs a permit (spender Staking, value `increaseAmount`) and an IncreaseStake
    /// message; the sender gains nothing. `owner` must already have a node.
    /// @param owner the operator who signed, and whose stake grows
    /// @param increaseAmount wei; also the permit value
    /// @param permit `owner`'s permit signature (spender: Staking)
    /// @param nonce `owner`'s next nonce here (nonces(owner))
    /// @param deadline unix seconds after which the signature is refused
    /// @param signature `owner`'s EIP-712 signature of IncreaseStake(owner, amount, nonce, deadline)
    /// under this contract's domain
    /// @return newStakeAmount `owner`'s own stake afterwards
    function increaseStakeFor(
        address owner,
        uint256 increaseAmount,
        PermitSignature calldata permit,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 newStakeAmount) {
        bytes32 structHash = keccak256(abi.encode(INCREASE_STAKE_TYPEHASH, owner, increaseAmount, nonce, deadline));
        _useSignature(owner, structHash, nonce, deadline, signature);
        permitStaking(registry, owner, increaseAmount, permit);
        return _increaseStake(owner, increaseAmount);
    }

    /// @notice Ask to withdraw `decreaseAmount` of the caller's own stake after the lockup. What
    /// remains must cover the minimum of the caller's endpoints.
    /// @param decreaseAmount wei
    /// @return lockupExpiryBlock the first block at which decreaseStake succeeds
    function requestDecreaseStake(uint256 decreaseAmount) external returns (uint256 lockupExpiryBlock) {
        if (decreaseAmount == 0) revert ZeroAmount();
        LockupRequest memory pending = decreaseStakeRequests[msg.sender];
        if (pending.lockupExpiryBlock != 0) {
            revert DecreaseStakeRequestPending(msg.sender, pending.value, pending.lockupExpiryBlock);
        }
        _requireNoPendingClaim(msg.sender);
        ServiceProviderDetails memory details = spDetails[msg.sender];
        if (decreaseAmount > details.deployerStake) {
            revert InsufficientStake(msg.sender, details.deployerStake, decreaseAmount);
        }
        if (details.numberOfEndpoints > 0) {
            (uint256 minStake,) = _bounds(msg.sender);
            uint256 remaining = details.deployerStake - decreaseAmount;
            if (remaining < minStake) revert StakeBelowMinimum(remaining, minStake);
        }
        lockupExpiryBlock = block.number + decreaseStakeLockupDuration;
        decreaseStakeRequests[msg.sender] =
            LockupRequest(decreaseAmount, lockupExpiryBlock, requestExpiry(lockupExpiryBlock, decreaseStakeLockupDuration));
        _syncActiveStake(msg.sender);
        emit DecreaseStakeRequested(msg.sender, decreaseAmount, lockupExpiryBlock);
    }

    /// @notice Cancel the caller's pending decrease request (not while a claim is pending: the
    /// stake would earn a round it was locked at the start of).
    function cancelDecreaseStakeRequest() external {
        LockupRequest memory pending = decreaseStakeRequests[msg.sender];
        if (pending.lockupExpiryBlock == 0) revert NoPendingDecreaseStake(msg.sender);
        _requireNoPendingClaim(msg.sender);
        delete decreaseStakeRequests[msg.sender];
        _syncActiveStake(msg.sender);
        emit DecreaseStakeRequestCancelled(msg.sender, pending.value, pending.lockupExpiryBlock);
    }

    /// @notice Carry out the caller's decrease request once its lockup has ended and before it
    /// expires; the tokens go back to the caller.
    /// @return newStakeAmount the caller's own stake afterwards
    function decreaseStake() external returns (uint256 newStakeAmount) {
        LockupRequest memory pending = decreaseStakeRequests[msg.sender];
        if (pending.lockupExpiryBlock == 0) revert NoPendingDecreaseStake(msg.sender);
        if (block.number < pending.lockupExpiryBlock) revert LockupNotEnded(pending.lockupExpiryBlock, block.number);
        if (block.number > pending.expiryBlock) revert RequestExpired(pending.expiryBlock, block.number);
        _requireNoPendingClaim(msg.sender);
        ServiceProviderDetails storage details = spDetails[msg.sender];
        // a slash shrinks the request together with the stake (updateServiceProviderStake)
        uint256 amount = pending.value;
        newStakeAmount = details.deployerStake - amount;
        if (details.numberOfEndpoints > 0) {
            (uint256 minStake,) = _bounds(msg.sender);
            if (newStakeAmount < minStake) revert StakeBelowMinimum(newStakeAmount, minStake);
        }
        delete decreaseStakeRequests[msg.sender];
        details.deployerStake = newStakeAmount;
        _syncActiveStake(msg.sender);
        emit DecreaseStakeRequestEvaluated(msg.sender, amount, newStakeAmount);
        if (amount > 0) _staking().unstakeFor(msg.sender, amount);
    }

    // ----- endpoint and wallet -----

    /// @notice Move one of the caller's nodes to a new endpoint; the id stays.
    /// @param serviceType the node's type
    /// @param oldEndpoint its current endpoint
    /// @param newEndpoint the new endpoint, unused
    /// @return spId the node's id
    function updateEndpoint(bytes32 serviceType, string calldata oldEndpoint, string calldata newEndpoint)
        external
        returns (uint256 spId)
    {
        spId = _ownedEndpoint(serviceType, oldEndpoint);
        _requireFreeEndpoint(newEndpoint);
        delete serviceProviderEndpointToId[keccak256(bytes(oldEndpoint))];
        serviceProviderEndpointToId[keccak256(bytes(newEndpoint))] = spId;
        serviceProviderInfo[serviceType][spId].endpoint = newEndpoint;
        emit EndpointUpdated(serviceType, msg.sender, oldEndpoint, newEndpoint, spId);
    }

    /// @notice Change the wallet a node signs with.
    /// @param serviceType the node's type
    /// @param endpoint the node's endpoint
    /// @param updatedDelegateOwnerWallet the new wallet
    function updateDelegateOwnerWallet(bytes32 serviceType, string calldata endpoint, address updatedDelegateOwnerWallet)
        external
    {
        uint256 spId = _ownedEndpoint(serviceType, endpoint);
        if (updatedDelegateOwnerWallet == address(0)) revert ZeroAddress();
        serviceProviderInfo[serviceType][spId].delegateOwnerWallet = updatedDelegateOwnerWallet;
        emit DelegateOwnerWalletUpdated(msg.sender, serviceType, spId, updatedDelegateOwnerWallet);
    }

    // ----- deployer cut -----

    /// @notice Ask to change the caller's deployer cut (percent of 100) after the lockup.
    /// @param cut the new percentage
    /// @return lockupExpiryBlock the first block at which updateDeployerCut succeeds
    function requestUpdateDeployerCut(uint256 cut) external returns (uint256 lockupExpiryBlock) {
        if (spDetails[msg.sender].numberOfEndpoints == 0) revert NotAServiceProvider(msg.sender);
        if (cut > DEPLOYER_CUT_BASE) revert DeployerCutTooHigh(cut, DEPLOYER_CUT_BASE);
        LockupRequest memory pending = updateDeployerCutRequests[msg.sender];
        if (pending.lockupExpiryBlock != 0) {
            revert DeployerCutUpdatePending(msg.sender, pending.value, pending.lockupExpiryBlock);
        }
        lockupExpiryBlock = block.number + deployerCutLockupDuration;
        updateDeployerCutRequests[msg.sender] =
            LockupRequest(cut, lockupExpiryBlock, requestExpiry(lockupExpiryBlock, deployerCutLockupDuration));
        emit DeployerCutUpdateRequested(msg.sender, cut, lockupExpiryBlock);
    }

    /// @notice Cancel the caller's pending deployer-cut change.
    function cancelUpdateDeployerCut() external {
        LockupRequest memory pending = updateDeployerCutRequests[msg.sender];
        if (pending.lockupExpiryBlock == 0) revert NoPendingDeployerCutUpdate(msg.sender);
        delete updateDeployerCutRequests[msg.sender];
        emit DeployerCutUpdateRequestCancelled(msg.sender, pending.value, spDetails[msg.sender].deployerCut);
    }

    /// @notice Apply the caller's deployer-cut change once its lockup has ended, before it expires
    /// and not while a claim is pending (the cut of a round is the one in force at its start).
    function updateDeployerCut() external {
        LockupRequest memory pending = updateDeployerCutRequests[msg.sender];
        if (pending.lockupExpiryBlock == 0) revert NoPendingDeployerCutUpdate(msg.sender);
        if (block.number < pending.lockupExpiryBlock) revert LockupNotEnded(pending.lockupExpiryBlock, block.number);
        if (block.number > pending.expiryBlock) revert RequestExpired(pending.expiryBlock, block.number);
        _requireNoPendingClaim(msg.sender);
        delete updateDeployerCutRequests[msg.sender];
        spDetails[msg.sender].deployerCut = pending.value;
        emit ServiceProviderCutUpdated(msg.sender, pending.value);
    }

    // ----- DelegateManager hook -----

    /// @notice Set an operator's own stake after a reward or a slash. DelegateManager only; it has
    /// moved the tokens in Staking. A pending decrease larger than the new stake is cut down to it.
    /// @param owner the operator
    /// @param newStakeAmount its own stake, wei
    function updateServiceProviderStake(address owner, uint256 newStakeAmount) external {
        if (msg.sender != registry.getContract(RegistryKeys.DELEGATE_MANAGER)) revert CallerNotAllowed(msg.sender);
        spDetails[owner].deployerStake = newStakeAmount;
        LockupRequest storage pending = decreaseStakeRequests[owner];
        if (pending.value > newStakeAmount) pending.value = newStakeAmount;
        _syncActiveStake(owner);
        emit DeployerStakeUpdated(owner, newStakeAmount);
    }

    // ----- governance parameters -----

    /// @notice Set the decrease-stake lockup. Governance only.
    /// @param duration blocks
    function updateDecreaseStakeLockupDuration(uint256 duration) external onlyGovernance {
        requireLockupOutlastsProposals(registry, duration);
        decreaseStakeLockupDuration = duration;
        emit DecreaseStakeLockupDurationUpdated(duration);
    }

    /// @notice Set the deployer-cut lockup. Governance only.
    /// @param duration blocks
    function updateDeployerCutLockupDuration(uint256 duration) external onlyGovernance {
        deployerCutLockupDuration = duration;
        emit DeployerCutLockupDurationUpdated(duration);
    }

    // ----- reads -----

    /// @notice An operator's stake, cut, endpoint count and current stake bounds.
    /// @param owner the operator
    /// @return deployerStake own stake, wei
    /// @return deployerCut percent of delegators' rewards kept
    /// @return validBounds whether the total stake lies within the bounds now
    /// @return numberOfEndpoints registered nodes
    /// @return minAccountStake sum of the nodes' minimums
    /// @return maxAccountStake sum of the nodes' maximums
    function getServiceProviderDetails(address owner)
        external
        view
        returns (
            uint256 deployerStake,
            uint256 deployerCut,
            bool validBounds,
            uint256 numberOfEndpoints,
            uint256 minAccountStake,
            uint256 maxAccountStake
        )
    {
        ServiceProviderDetails memory details = spDetails[owner];
        (minAccountStake, maxAccountStake) = _bounds(owner);
        uint256 total = _staking().totalStakedFor(owner);
        validBounds = details.deployerStake >= minAccountStake && total <= maxAccountStake;
        return (
            details.deployerStake,
            details.deployerCut,
            validBounds,
            details.numberOfEndpoints,
            minAccountStake,
            maxAccountStake
        );
    }

    /// @notice The node `spId` of `serviceType` (zeros once deregistered).
    /// @param serviceType the type
    /// @param spId the id
    function getServiceEndpointInfo(bytes32 serviceType, uint256 spId)
        external
        view
        returns (address owner, string memory endpoint, uint256 blockNumber, address delegateOwnerWallet)
    {
        ServiceEndpoint memory info = serviceProviderInfo[serviceType][spId];
        return (info.owner, info.endpoint, info.blockNumber, info.delegateOwnerWallet);
    }

    /// @notice The id of the node at `endpoint`, or 0.
    /// @param endpoint the URL
    function getServiceProviderIdFromEndpoint(string calldata endpoint) external view returns (uint256) {
        return serviceProviderEndpointToId[keccak256(bytes(endpoint))];
    }

    /// @notice The ids of `owner`'s nodes of `serviceType`.
    /// @param owner the operator
    /// @param serviceType the type
    function getServiceProviderIdsFromAddress(address owner, bytes32 serviceType)
        external
        view
        returns (uint256[] memory)
    {
        return serviceProviderAddressToId[owner][serviceType];
    }

    /// @notice The highest id handed out for `serviceType` (ids 1..n; deregistered ones read as zeros).
    /// @param serviceType the type
    function getTotalServiceTypeProviders(bytes32 serviceType) external view returns (uint256) {
        return serviceProviderTypeIds[serviceType];
    }

    /// @notice `owner`'s pending decrease: amount (wei) and first block it can be carried out (0 if none).
    /// @param owner the operator
    function getPendingDecreaseStakeRequest(address owner)
        external
        view
        returns (uint256 amount, uint256 lockupExpiryBlock)
    {
        LockupRequest memory pending = decreaseStakeRequests[owner];
        return (pending.value, pending.lockupExpiryBlock);
    }

    /// @notice The last blocks at which `owner`'s pending decrease and deployer-cut change can be
    /// carried out (0: none pending).
    /// @param owner the operator
    function getPendingRequestExpiries(address owner)
        external
        view
        returns (uint256 decreaseStakeExpiryBlock, uint256 deployerCutExpiryBlock)
    {
        return (decreaseStakeRequests[owner].expiryBlock, updateDeployerCutRequests[owner].expiryBlock);
    }

    /// @notice `owner`'s own stake not queued for withdrawal, at the end of `blockNumber` (its
    /// voting weight as an operator), wei.
    /// @param owner the operator
    /// @param blockNumber a past or current block
    function activeStakeAt(address owner, uint256 blockNumber) external view returns (uint256) {
        return activeStakeHistory[owner].upperLookupRecent(SafeCast.toUint48(blockNumber));
    }

    /// @notice `owner`'s pending deployer-cut change: new cut and first block it applies (0 if none).
    /// @param owner the operator
    function getPendingUpdateDeployerCutRequest(address owner)
        external
        view
        returns (uint256 newDeployerCut, uint256 lockupExpiryBlock)
    {
        LockupRequest memory pending = updateDeployerCutRequests[owner];
        return (pending.value, pending.lockupExpiryBlock);
    }

    // ----- internals -----

    function _register(bytes32 serviceType, string calldata endpoint, uint256 stakeAmount, address delegateOwnerWallet)
        private
        returns (uint256 spId)
    {
        (bool isValid, uint256 typeMin, uint256 typeMax) = _serviceTypeManager().getServiceTypeInfo(serviceType);
        if (!isValid) revert InvalidServiceType(serviceType);
        _requireFreeEndpoint(endpoint);
        _requireNoPendingClaim(msg.sender);
        _checkBoundsAfterDeposit(msg.sender, stakeAmount, typeMin, typeMax);

        spId = ++serviceProviderTypeIds[serviceType];
        serviceProviderInfo[serviceType][spId] = ServiceEndpoint({
            owner: msg.sender,
            endpoint: endpoint,
            blockNumber: block.number,
            delegateOwnerWallet: delegateOwnerWallet == address(0) ? msg.sender : delegateOwnerWallet
        });
        serviceProviderEndpointToId[keccak256(bytes(endpoint))] = spId;
        serviceProviderAddressToId[msg.sender][serviceType].push(spId);
        ServiceProviderDetails storage details = spDetails[msg.sender];
        details.deployerStake += stakeAmount;
        details.numberOfEndpoints += 1;
        if (stakeAmount > 0) _syncActiveStake(msg.sender);
        emit RegisteredServiceProvider(spId, serviceType, msg.sender, endpoint, stakeAmount);
        if (stakeAmount > 0) _staking().stakeFor(msg.sender, stakeAmount);
    }

    /// @dev After `owner` deposits `amount` (and adds an endpoint with bounds typeMin/typeMax, if
    /// any), its own stake must cover the minimum and the total must not pass the maximum.
    function _checkBoundsAfterDeposit(address owner, uint256 amount, uint256 typeMin, uint256 typeMax) private view {
        (uint256 minStake, uint256 maxStake) = _bounds(owner);
        minStake += typeMin;
        maxStake += typeMax;
        uint256 ownStake = spDetails[owner].deployerStake + amount;
        if (ownStake < minStake) revert StakeBelowMinimum(ownStake, minStake);
        uint256 total = _staking().totalStakedFor(owner) + amount;
        if (total > maxStake) revert StakeAboveMaximum(total, maxStake);
    }

    function _increaseStake(address owner, uint256 increaseAmount) private returns (uint256 newStakeAmount) {
        if (increaseAmount == 0) revert ZeroAmount();
        ServiceProviderDetails storage details = spDetails[owner];
        if (details.numberOfEndpoints == 0) revert NotAServiceProvider(owner);
        _requireNoPendingClaim(owner);
        _checkBoundsAfterDeposit(owner, increaseAmount, 0, 0);
        newStakeAmount = details.deployerStake + increaseAmount;
        details.deployerStake = newStakeAmount;
        _syncActiveStake(owner);
        emit IncreasedStake(owner, increaseAmount, newStakeAmount);
        _staking().stakeFor(owner, increaseAmount);
    }

    /// @dev Sum of the bounds of `owner`'s endpoints, over the currently valid service types.
    function _bounds(address owner) private view returns (uint256 minStake, uint256 maxStake) {
        return _boundsWithout(owner, bytes32(0));
    }

    /// @dev _bounds with one endpoint of `removedType` left out (bytes32(0): none).
    function _boundsWithout(address owner, bytes32 removedType) private view returns (uint256 minStake, uint256 maxStake) {
        ServiceTypeManager types = _serviceTypeManager();
        bytes32[] memory validTypes = types.getValidServiceTypes();
        for (uint256 i = 0; i < validTypes.length; i++) {
            uint256 count = serviceProviderAddressToId[owner][validTypes[i]].length;
            if (validTypes[i] == removedType) count -= 1;
            if (count == 0) continue;
            (, uint256 typeMin, uint256 typeMax) = types.getServiceTypeInfo(validTypes[i]);
            minStake += typeMin * count;
            maxStake += typeMax * count;
        }
    }

    function _ownedEndpoint(bytes32 serviceType, string calldata endpoint) private view returns (uint256 spId) {
        bytes32 endpointHash = keccak256(bytes(endpoint));
        spId = serviceProviderEndpointToId[endpointHash];
        ServiceEndpoint storage info = serviceProviderInfo[serviceType][spId];
        address owner = info.owner;
        // ids count per type, so the same id under another type is another node
        if (spId == 0 || owner == address(0) || keccak256(bytes(info.endpoint)) != endpointHash) {
            revert EndpointNotRegistered(serviceType, endpoint);
        }
        if (owner != msg.sender) revert NotEndpointOwner(endpoint, owner, msg.sender);
    }

    function _requireFreeEndpoint(string calldata endpoint) private view {
        if (bytes(endpoint).length == 0) revert EmptyEndpoint();
        uint256 existing = serviceProviderEndpointToId[keccak256(bytes(endpoint))];
        if (existing != 0) revert EndpointAlreadyRegistered(endpoint, existing);
    }

    function _requireNoPendingClaim(address owner) private view {
        if (ClaimsManager(registry.getContract(RegistryKeys.CLAIMS_MANAGER)).claimPending(owner)) {
            revert ClaimPending(owner);
        }
    }

    /// @dev Checkpoint `owner`'s active stake (own stake minus the pending decrease).
    function _syncActiveStake(address owner) private {
        uint256 active = spDetails[owner].deployerStake - decreaseStakeRequests[owner].value;
        activeStakeHistory[owner].push(SafeCast.toUint48(block.number), SafeCast.toUint208(active));
    }

    function _removeId(uint256[] storage ids, uint256 spId) private {
        uint256 n = ids.length;
        for (uint256 i = 0; i < n; i++) {
            if (ids[i] == spId) {
                ids[i] = ids[n - 1];
                ids.pop();
                return;
            }
        }
    }

    function _staking() private view returns (Staking) {
        return Staking(registry.getContract(RegistryKeys.STAKING));
    }

    function _serviceTypeManager() private view returns (ServiceTypeManager) {
        return ServiceTypeManager(registry.getContract(RegistryKeys.SERVICE_TYPE_MANAGER));
    }
}
