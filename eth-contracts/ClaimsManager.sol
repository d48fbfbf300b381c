// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Governed} from "./Governed.sol";
import {Registry} from "./Registry.sol";
import {RegistryKeys} from "./RegistryKeys.sol";
import {AsixToken} from "./AsixToken.sol";
import {Staking} from "./Staking.sol";
import {IStakeLocks} from "./Interfaces.sol";
import {CallerNotAllowed} from "./Errors.sol";

/// @title ClaimsManager
/// @notice Funding rounds. `initiateRound` (anyone, at most once per `fundingRoundBlockDiff` blocks)
/// mints the round's funding here; each service provider then claims, through DelegateManager,
/// `fundingAmount * its active stake / total stake`, both read at the end of the block before the
/// round's (a past block, which no transaction can change any more). Active stake leaves out what
/// is queued for withdrawal. Until it has claimed, a provider that had stake at that block cannot
/// change its stake. A round never pays out more than it minted: each claim is capped at what is
/// left of the round's funding. A reward not claimed before the next round stays in this contract.
contract ClaimsManager is Governed {
    using SafeERC20 for IERC20;

    /// @notice Where the token, Staking and DelegateManager are looked up.
    Registry public immutable registry;
    /// @notice Minimum blocks between two rounds.
    uint256 public fundingRoundBlockDiff;
    /// @notice Tokens minted per round, wei.
    uint256 public fundingAmount;

    /// @notice Rounds started so far; the current round is this number.
    uint256 public roundNumber;
    /// @notice The current round's start block (0 before the first round).
    uint256 public lastFundedBlock;
    /// @notice The current round's minted amount.
    uint256 public currentRoundFunding;
    /// @notice Rewards paid out in the current round.
    uint256 public totalClaimedInRound;
    /// @notice Tokens minted over all rounds.
    uint256 public totalMinted;
    mapping(address serviceProvider => uint256 round) private lastClaimedRound;

    /// @notice A round started and `fundedAmount` was minted to this contract.
    event RoundInitiated(uint256 indexed roundNumber, uint256 blockNumber, uint256 fundedAmount);
    /// @notice `serviceProvider` received `rewards`, staked on its behalf.
    event ClaimProcessed(
        address indexed serviceProvider, uint256 indexed roundNumber, uint256 rewards, uint256 oldTotal, uint256 newTotal
    );
    /// @notice A governance parameter changed.
    event FundingRoundBlockDiffUpdated(uint256 blockDiff);
    /// @notice A governance parameter changed.
    event FundingAmountUpdated(uint256 amount);

    /// @notice The next round cannot start before `nextRoundBlock`.
    error RoundTooSoon(uint256 nextRoundBlock, uint256 currentBlock);
    /// @notice No round has started yet.
    error NoActiveRound();
    /// @notice This provider has nothing to claim in the current round.
    error NoClaimPending(address serviceProvider, uint256 roundNumber);

    /// @param registry_ the Registry
    /// @param governance_ the initial governance (the deployer, until it hands over)
    /// @param fundingRoundBlockDiff_ blocks between rounds
    /// @param fundingAmount_ wei minted per round
    constructor(Registry registry_, address governance_, uint256 fundingRoundBlockDiff_, uint256 fundingAmount_)
        Governed(governance_)
    {
        registry = registry_;
        fundingRoundBlockDiff = fundingRoundBlockDiff_;
        fundingAmount = fundingAmount_;
    }

    /// @notice Start a funding round and mint its funding. Anyone may call, once the interval since
    /// the last round has passed (the first round can start at once).
    /// @return round the new round's number
    function initiateRound() external returns (uint256 round) {
        if (roundNumber > 0 && block.number < lastFundedBlock + fundingRoundBlockDiff) {
            revert RoundTooSoon(lastFundedBlock + fundingRoundBlockDiff, block.number);
        }
        round = ++roundNumber;
        lastFundedBlock = block.number;
        currentRoundFunding = fundingAmount;
        totalClaimedInRound = 0;
        totalMinted += fundingAmount;
        emit RoundInitiated(round, block.number, fundingAmount);
        AsixToken(registry.getContract(RegistryKeys.TOKEN)).mint(address(this), fundingAmount);
    }

    /// @notice Pay `serviceProvider`'s reward for the current round into its stake. DelegateManager
    /// only (through `claimRewards`, which splits the reward with the delegators).
    /// @param serviceProvider the operator
    /// @return rewards wei
    function processClaim(address serviceProvider) external returns (uint256 rewards) {
        Staking staking = Staking(registry.getContract(RegistryKeys.STAKING));
        if (msg.sender != registry.getContract(RegistryKeys.DELEGATE_MANAGER)) revert CallerNotAllowed(msg.sender);
        rewards = getClaimableReward(serviceProvider);
        lastClaimedRound[serviceProvider] = roundNumber;
        totalClaimedInRound += rewards;
        uint256 oldTotal = staking.totalStakedFor(serviceProvider);
        emit ClaimProcessed(serviceProvider, roundNumber, rewards, oldTotal, oldTotal + rewards);
        if (rewards > 0) {
            IERC20(registry.getContract(RegistryKeys.TOKEN)).safeTransfer(address(staking), rewards);
            staking.stakeRewards(rewards, serviceProvider);
        }
    }

    /// @notice The reward `serviceProvider` would get by claiming now; reverts when there is no
    /// round or nothing is pending.
    /// @param serviceProvider the operator
    function getClaimableReward(address serviceProvider) public view returns (uint256 rewards) {
        if (roundNumber == 0) revert NoActiveRound();
        if (!claimPending(serviceProvider)) revert NoClaimPending(serviceProvider, roundNumber);
        Staking staking = Staking(registry.getContract(RegistryKeys.STAKING));
        uint256 snapshot = roundSnapshotBlock();
        uint256 stakeAtRound = staking.totalStakedForAt(serviceProvider, snapshot);
        // Locks cannot change while the claim is pending (ClaimPending), so the current value is
        // the value the round started with.
        uint256 locked = IStakeLocks(registry.getContract(RegistryKeys.DELEGATE_MANAGER)).getLockedStake(serviceProvider);
        uint256 active = locked < stakeAtRound ? stakeAtRound - locked : 0;
        rewards = (currentRoundFunding * active) / staking.totalStakedAt(snapshot);
        uint256 left = currentRoundFunding - totalClaimedInRound;
        if (rewards > left) rewards = left;
    }

    /// @notice Whether `serviceProvider` had stake at the current round's snapshot and has not claimed.
    /// @param serviceProvider the operator
    function claimPending(address serviceProvider) public view returns (bool) {
        if (roundNumber == 0 || lastClaimedRound[serviceProvider] == roundNumber) return false;
        Staking staking = Staking(registry.getContract(RegistryKeys.STAKING));
        return staking.totalStakedForAt(serviceProvider, roundSnapshotBlock()) > 0;
    }

    /// @notice The block whose closing stakes the current round pays on: the one before the round
    /// started, since stakes in the round's own block can still move after initiateRound.
    function roundSnapshotBlock() public view returns (uint256) {
        return lastFundedBlock == 0 ? 0 : lastFundedBlock - 1;
    }

    /// @notice The last round `serviceProvider` claimed (0: never).
    /// @param serviceProvider the operator
    function getLastClaimedRound(address serviceProvider) external view returns (uint256) {
        return lastClaimedRound[serviceProvider];
    }

    /// @notice Set the blocks between rounds. Governance only.
    /// @param blockDiff blocks
    function updateFundingRoundBlockDiff(uint256 blockDiff) external onlyGovernance {
        fundingRoundBlockDiff = blockDiff;
        emit FundingRoundBlockDiffUpdated(blockDiff);
    }

    /// @notice Set the tokens minted per round, from the next round on. Governance only.
    /// @param amount wei
    function updateFundingAmount(uint256 amount) external onlyGovernance {
        fundingAmount = amount;
        emit FundingAmountUpdated(amount);
    }
}
