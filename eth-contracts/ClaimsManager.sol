// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Governed} from "./Governed.sol";
import {Registry} from "./Registry.sol";
import {RegistryKeys} from "./RegistryKeys.sol";
import {AsixToken} from "./AsixToken.sol";
import {Staking} from "./Staking.sol";
import {CallerNotAllowed} from "./Errors.sol";

/// @title ClaimsManager
/// @notice Funding rounds. `initiateRound` (anyone, at most once per `fundingRoundBlockDiff` blocks)
/// mints the round's funding here; each service provider then claims, through DelegateManager,
/// `fundingAmount * its stake / total stake`, both read at the round's start block. Until it has
/// claimed, a provider that had stake at the round start cannot change its stake. A reward not
/// claimed before the next round stays in this contract.
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
    function getClaimableReward(address serviceProvider) public view returns (uint256) {
        if (roundNumber == 0) revert NoActiveRound();
        if (!claimPending(serviceProvider)) revert NoClaimPending(serviceProvider, roundNumber);
        Staking staking = Staking(registry.getContract(RegistryKeys.STAKING));
        uint256 stakeAtRound = staking.totalStakedForAt(serviceProvider, lastFundedBlock);
        uint256 totalAtRound = staking.totalStakedAt(lastFundedBlock);
        return (currentRoundFunding * stakeAtRound) / totalAtRound;
    }

    /// @notice Whether `serviceProvider` had stake at the current round's start and has not claimed.
    /// @param serviceProvider the operator
    function claimPending(address serviceProvider) public view returns (bool) {
        if (roundNumber == 0 || lastClaimedRound[serviceProvider] == roundNumber) return false;
        Staking staking = Staking(registry.getContract(RegistryKeys.STAKING));
        return staking.totalStakedForAt(serviceProvider, lastFundedBlock) > 0;
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
