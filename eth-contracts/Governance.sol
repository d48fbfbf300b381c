// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Registry} from "./Registry.sol";
import {Staking} from "./Staking.sol";
import {RegistryKeys} from "./RegistryKeys.sol";
import {Governed} from "./Governed.sol";
import {Guardian} from "./Guardian.sol";
import {IActiveStake, IDecreaseStakeLockup, IUndelegateLockup} from "./Interfaces.sol";
import {LockupTooShort, NotGovernance, ZeroAddress} from "./Errors.sol";

/// @title Governance
/// @notice Stakers propose calls to registered contracts and vote on them, each weighted by its own
/// active stake (operator stake plus delegations, less what is queued for withdrawal) at the end
/// of the block before the proposal's, which no transaction can change any more. After the voting
/// period plus the execution delay (both fixed per proposal at submission) anyone evaluates a
/// proposal: with quorum (votes cast >= quorumPercent of the stake at that block) and more Yes than
/// No, the call runs from this contract, which holds the governance role of every other contract.
/// A call that fails can be retried. The guardian can veto, pause evaluation for a bounded time,
/// and tune parameters directly; it cannot reach the Registry, the token or Staking, slash, or move
/// a governance role. Slashed tokens land here (the community treasury) and leave only through a
/// proposal.
contract Governance is Guardian {
    enum Vote {
        None,
        No,
        Yes
    }

    enum Outcome {
        InProgress,
        Rejected,
        ApprovedExecuted,
        QuorumNotMet,
        Vetoed,
        ApprovedExecutionFailed
    }

    struct Proposal {
        address proposer;
        uint256 submissionBlockNumber;
        bytes32 targetContractRegistryKey;
        address targetContractAddress;
        uint256 callValue;
        string functionSignature;
        bytes callData;
        Outcome outcome;
        uint256 voteMagnitudeYes;
        uint256 voteMagnitudeNo;
        uint256 numVotes;
        uint256 votingPeriod; // as it was at submission
        uint256 executionDelay; // as it was at submission
    }

    /// @dev DelegateManager.slash: governance only, never the guardian's.
    bytes4 private constant SLASH_SELECTOR = bytes4(keccak256("slash(uint256,address)"));

    /// @notice Where targets and Staking are looked up.
    Registry public immutable registry;
    /// @notice Blocks during which votes are accepted, from the proposal's block.
    uint256 public votingPeriod;
    /// @notice Blocks after the voting period before the proposal can be evaluated.
    uint256 public executionDelay;
    /// @notice Percent of the stake that must vote for an outcome to count.
    uint256 public quorumPercent;
    /// @notice Proposals so far; ids run from 1.
    uint256 public lastProposalId;

    mapping(uint256 proposalId => Proposal) private proposals;
    mapping(uint256 proposalId => mapping(address voter => Vote)) private votes;

    /// @notice A proposal was submitted.
    event ProposalSubmitted(uint256 indexed proposalId, address indexed proposer, string name, string description);
    /// @notice A vote was cast with `voteMagnitude` (stake at the proposal's block).
    event ProposalVoteSubmitted(uint256 indexed proposalId, address indexed voter, Vote vote, uint256 voteMagnitude);
    /// @notice A proposal was evaluated.
    event ProposalOutcomeEvaluated(
        uint256 indexed proposalId, Outcome outcome, uint256 voteMagnitudeYes, uint256 voteMagnitudeNo, uint256 numVotes
    );
    /// @notice A proposal's call ran.
    event ProposalTransactionExecuted(uint256 indexed proposalId, bool success, bytes returnData);
    /// @notice The guardian vetoed a proposal.
    event ProposalVetoed(uint256 indexed proposalId);
    /// @notice The guardian executed a call directly.
    event GuardianTransactionExecuted(
        address indexed targetContractAddress, uint256 callValue, string functionSignature, bytes callData, bytes returnData
    );
    /// @notice A governance parameter changed.
    event VotingPeriodUpdated(uint256 votingPeriod);
    /// @notice A governance parameter changed.
    event ExecutionDelayUpdated(uint256 executionDelay);
    /// @notice A governance parameter changed.
    event QuorumPercentUpdated(uint256 quorumPercent);

    /// @notice Only accounts with stake may propose or vote.
    error NotAStaker(address account);
    /// @notice Nothing is registered under this key.
    error InvalidTargetContract(bytes32 targetContractRegistryKey);
    /// @notice The function signature is empty.
    error EmptyFunctionSignature();
    /// @notice No such proposal.
    error ProposalNotFound(uint256 proposalId);
    /// @notice The proposal was evaluated or vetoed already.
    error ProposalNotInProgress(uint256 proposalId, Outcome outcome);
    /// @notice Votes are Yes or No.
    error InvalidVote();
    /// @notice The voter has voted on this proposal already.
    error AlreadyVoted(uint256 proposalId, address voter);
    /// @notice The voting period ended at `votingEndBlock`.
    error VotingPeriodEnded(uint256 proposalId, uint256 votingEndBlock);
    /// @notice The proposal can be evaluated from `earliestBlock` on.
    error EvaluationTooEarly(uint256 proposalId, uint256 earliestBlock, uint256 currentBlock);
    /// @notice The guardian's call reverted.
    error TransactionFailed(bytes returnData);
    /// @notice Quorum is a percentage.
    error InvalidQuorumPercent(uint256 quorumPercent);
    /// @notice No contract here takes ether, so proposals and guardian calls send none.
    error CallValueNotSupported(uint256 callValue);
    /// @notice The guardian may not make this call (Registry, token, Staking, slash, role hand-off).
    error GuardianCallForbidden(bytes32 targetContractRegistryKey, bytes4 selector);

    /// @param registry_ the Registry
    /// @param guardian_ the guardian (the deployer on the devnet)
    /// @param votingPeriod_ blocks
    /// @param executionDelay_ blocks
    /// @param quorumPercent_ percent, 1..100
    constructor(
        Registry registry_,
        address guardian_,
        uint256 votingPeriod_,
        uint256 executionDelay_,
        uint256 quorumPercent_
    ) Guardian(guardian_) {
        if (quorumPercent_ == 0 || quorumPercent_ > 100) revert InvalidQuorumPercent(quorumPercent_);
        registry = registry_;
        votingPeriod = votingPeriod_;
        executionDelay = executionDelay_;
        quorumPercent = quorumPercent_;
    }

    modifier onlySelf() {
        if (msg.sender != address(this)) revert NotGovernance(msg.sender);
        _;
    }

    /// @notice Propose calling `functionSignature` with `callData` on the contract registered under
    /// `targetContractRegistryKey`. The caller must have stake.
    /// @param targetContractRegistryKey Registry key of the target, e.g. "ClaimsManager"
    /// @param callValue wei sent with the call (from this contract's balance)
    /// @param functionSignature e.g. "updateFundingAmount(uint256)"
    /// @param callData ABI-encoded arguments (without selector)
    /// @param name short title
    /// @param description what and why
    /// @return proposalId the new id
    function submitProposal(
        bytes32 targetContractRegistryKey,
        uint256 callValue,
        string memory functionSignature,
        bytes memory callData,
        string memory name,
        string memory description
    ) external returns (uint256 proposalId) {
        if (activeStakeAt(msg.sender, block.number - 1) == 0) revert NotAStaker(msg.sender);
        address target = registry.getContract(targetContractRegistryKey);
        if (target == address(0)) revert InvalidTargetContract(targetContractRegistryKey);
        if (bytes(functionSignature).length == 0) revert EmptyFunctionSignature();
        if (callValue != 0) revert CallValueNotSupported(callValue);
        proposalId = ++lastProposalId;
        Proposal storage proposal = proposals[proposalId];
        proposal.proposer = msg.sender;
        proposal.submissionBlockNumber = block.number;
        proposal.targetContractRegistryKey = targetContractRegistryKey;
        proposal.targetContractAddress = target;
        proposal.callValue = callValue;
        proposal.functionSignature = functionSignature;
        proposal.callData = callData;
        proposal.votingPeriod = votingPeriod;
        proposal.executionDelay = executionDelay;
        emit ProposalSubmitted(proposalId, msg.sender, name, description);
    }

    /// @notice Vote Yes or No, weighted by the caller's own active stake at the proposal's snapshot
    /// (the end of the block before its submission).
    /// @param proposalId the proposal
    /// @param vote Yes (2) or No (1)
    function submitVote(uint256 proposalId, Vote vote) external {
        Proposal storage proposal = _inProgress(proposalId);
        uint256 votingEndBlock = proposal.submissionBlockNumber + proposal.votingPeriod;
        if (block.number > votingEndBlock) revert VotingPeriodEnded(proposalId, votingEndBlock);
        if (vote == Vote.None) revert InvalidVote();
        if (votes[proposalId][msg.sender] != Vote.None) revert AlreadyVoted(proposalId, msg.sender);
        uint256 magnitude = activeStakeAt(msg.sender, proposal.submissionBlockNumber - 1);
        if (magnitude == 0) revert NotAStaker(msg.sender);
        votes[proposalId][msg.sender] = vote;
        if (vote == Vote.Yes) proposal.voteMagnitudeYes += magnitude;
        else proposal.voteMagnitudeNo += magnitude;
        proposal.numVotes += 1;
        emit ProposalVoteSubmitted(proposalId, msg.sender, vote, magnitude);
    }

    /// @notice Settle a proposal once its voting period and execution delay have passed: without
    /// quorum it ends QuorumNotMet, with more No than Yes (or a tie) Rejected; otherwise its call
    /// runs and it ends ApprovedExecuted or ApprovedExecutionFailed. A failed call is not final:
    /// evaluating an ApprovedExecutionFailed proposal runs the call again (a caller cannot fail an
    /// approved proposal for good by starving it of gas). Anyone may call, unless paused.
    /// @param proposalId the proposal
    /// @return outcome the recorded outcome
    function evaluateProposalOutcome(uint256 proposalId) external returns (Outcome outcome) {
        _requireNotPaused();
        Proposal storage proposal = _proposal(proposalId);
        bool execute = false;
        if (proposal.outcome == Outcome.ApprovedExecutionFailed) {
            outcome = Outcome.ApprovedExecuted;
            execute = true;
        } else {
            _requireInProgress(proposalId, proposal);
            uint256 earliest = proposal.submissionBlockNumber + proposal.votingPeriod + proposal.executionDelay;
            if (block.number < earliest) revert EvaluationTooEarly(proposalId, earliest, block.number);
            outcome = _tally(proposal);
            execute = outcome == Outcome.ApprovedExecuted;
        }
        proposal.outcome = outcome;
        if (execute) {
            (bool success, bytes memory returnData) = _call(
                proposal.targetContractAddress, proposal.callValue, proposal.functionSignature, proposal.callData
            );
            emit ProposalTransactionExecuted(proposalId, success, returnData);
            if (!success) {
                outcome = Outcome.ApprovedExecutionFailed;
                proposal.outcome = outcome;
            }
        }
        emit ProposalOutcomeEvaluated(
            proposalId, outcome, proposal.voteMagnitudeYes, proposal.voteMagnitudeNo, proposal.numVotes
        );
    }

    function _tally(Proposal storage proposal) private view returns (Outcome) {
        uint256 stakeAtProposal = _staking().totalStakedAt(proposal.submissionBlockNumber - 1);
        uint256 voted = proposal.voteMagnitudeYes + proposal.voteMagnitudeNo;
        if (voted * 100 < quorumPercent * stakeAtProposal || voted == 0) {
            return Outcome.QuorumNotMet;
        } else if (proposal.voteMagnitudeYes <= proposal.voteMagnitudeNo) {
            return Outcome.Rejected;
        }
        // settled before the call so that a re-entrant evaluation sees the proposal as done
        return Outcome.ApprovedExecuted;
    }

    /// @notice Veto an in-progress proposal, or one whose call failed (ending its retries).
    /// Guardian only.
    /// @param proposalId the proposal
    function vetoProposal(uint256 proposalId) external onlyGuardian {
        Proposal storage proposal = _proposal(proposalId);
        if (proposal.outcome != Outcome.ApprovedExecutionFailed) _requireInProgress(proposalId, proposal);
        proposal.outcome = Outcome.Vetoed;
        emit ProposalVetoed(proposalId);
    }

    /// @notice Call a registered contract as Governance without a vote, to tune a parameter.
    /// Guardian only; reverts if the call does. The guardian cannot call the Registry, the token or
    /// Staking, slash, or hand a governance role on (GuardianCallForbidden), so it can neither mint,
    /// nor move stake or the treasury, nor take a contract over.
    /// @param targetContractRegistryKey Registry key of the target
    /// @param callValue wei sent with the call
    /// @param functionSignature e.g. "updateFundingAmount(uint256)"
    /// @param callData ABI-encoded arguments (without selector)
    function guardianExecuteTransaction(
        bytes32 targetContractRegistryKey,
        uint256 callValue,
        string calldata functionSignature,
        bytes calldata callData
    ) external onlyGuardian {
        address target = registry.getContract(targetContractRegistryKey);
        if (target == address(0)) revert InvalidTargetContract(targetContractRegistryKey);
        if (bytes(functionSignature).length == 0) revert EmptyFunctionSignature();
        if (callValue != 0) revert CallValueNotSupported(callValue);
        bytes4 selector = bytes4(keccak256(bytes(functionSignature)));
        if (
            targetContractRegistryKey == RegistryKeys.REGISTRY || targetContractRegistryKey == RegistryKeys.TOKEN
                || targetContractRegistryKey == RegistryKeys.STAKING || selector == SLASH_SELECTOR
                || selector == Governed.setGovernanceAddress.selector
        ) revert GuardianCallForbidden(targetContractRegistryKey, selector);
        (bool success, bytes memory returnData) = _call(target, callValue, functionSignature, callData);
        if (!success) revert TransactionFailed(returnData);
        emit GuardianTransactionExecuted(target, callValue, functionSignature, callData, returnData);
    }

    /// @notice Have this contract accept the governance role of the contract registered under
    /// `key`, which offered it (setGovernanceAddress). Anyone may call: accepting gives nothing away.
    /// @param key Registry key of the Governed contract
    function acceptGovernanceOf(bytes32 key) external {
        address target = registry.getContract(key);
        if (target == address(0)) revert InvalidTargetContract(key);
        Governed(target).acceptGovernance();
    }

    /// @notice Set the voting period; with the execution delay it must stay shorter than every
    /// withdrawal lockup. Proposals in flight keep theirs. Only through a proposal (or the guardian).
    /// @param votingPeriod_ blocks
    function updateVotingPeriod(uint256 votingPeriod_) external onlySelf {
        _requireShorterThanLockups(votingPeriod_ + executionDelay);
        votingPeriod = votingPeriod_;
        emit VotingPeriodUpdated(votingPeriod_);
    }

    /// @notice Set the execution delay; with the voting period it must stay shorter than every
    /// withdrawal lockup. Proposals in flight keep theirs. Only through a proposal (or the guardian).
    /// @param executionDelay_ blocks
    function updateExecutionDelay(uint256 executionDelay_) external onlySelf {
        _requireShorterThanLockups(votingPeriod + executionDelay_);
        executionDelay = executionDelay_;
        emit ExecutionDelayUpdated(executionDelay_);
    }

    /// @notice Set the quorum. Only through a proposal (or the guardian).
    /// @param quorumPercent_ percent, 1..100
    function updateQuorumPercent(uint256 quorumPercent_) external onlySelf {
        if (quorumPercent_ == 0 || quorumPercent_ > 100) revert InvalidQuorumPercent(quorumPercent_);
        quorumPercent = quorumPercent_;
        emit QuorumPercentUpdated(quorumPercent_);
    }

    /// @notice A proposal's fields.
    /// @param proposalId the proposal
    function getProposalById(uint256 proposalId) external view returns (Proposal memory) {
        if (proposalId == 0 || proposalId > lastProposalId) revert ProposalNotFound(proposalId);
        return proposals[proposalId];
    }

    /// @notice How `voter` voted on `proposalId` (None if not).
    /// @param proposalId the proposal
    /// @param voter the account
    function getVoteInfoByProposalAndVoter(uint256 proposalId, address voter) external view returns (Vote) {
        return votes[proposalId][voter];
    }

    /// @notice `account`'s own active stake at the end of `blockNumber`: its operator stake plus its
    /// delegations, less what it has queued for withdrawal. This is its vote weight.
    /// @param account the voter
    /// @param blockNumber a past or current block
    function activeStakeAt(address account, uint256 blockNumber) public view returns (uint256) {
        return IActiveStake(registry.getContract(RegistryKeys.SERVICE_PROVIDER_FACTORY)).activeStakeAt(account, blockNumber)
            + IActiveStake(registry.getContract(RegistryKeys.DELEGATE_MANAGER)).activeStakeAt(account, blockNumber);
    }

    function _proposal(uint256 proposalId) private view returns (Proposal storage) {
        if (proposalId == 0 || proposalId > lastProposalId) revert ProposalNotFound(proposalId);
        return proposals[proposalId];
    }

    function _requireInProgress(uint256 proposalId, Proposal storage proposal) private view {
        if (proposal.outcome != Outcome.InProgress) revert ProposalNotInProgress(proposalId, proposal.outcome);
    }

    function _inProgress(uint256 proposalId) private view returns (Proposal storage proposal) {
        proposal = _proposal(proposalId);
        _requireInProgress(proposalId, proposal);
    }

    function _pauseLength() internal view override returns (uint256) {
        return votingPeriod + executionDelay;
    }

    function _requireShorterThanLockups(uint256 proposalBlocks) private view {
        uint256 lockup = IDecreaseStakeLockup(registry.getContract(RegistryKeys.SERVICE_PROVIDER_FACTORY))
            .decreaseStakeLockupDuration();
        uint256 undelegate =
            IUndelegateLockup(registry.getContract(RegistryKeys.DELEGATE_MANAGER)).undelegateLockupDuration();
        if (undelegate < lockup) lockup = undelegate;
        if (lockup <= proposalBlocks) revert LockupTooShort(lockup, proposalBlocks + 1);
    }

    function _call(address target, uint256 callValue, string memory functionSignature, bytes memory callData)
        private
        returns (bool success, bytes memory returnData)
    {
        bytes memory data = abi.encodePacked(bytes4(keccak256(bytes(functionSignature))), callData);
        return target.call{value: callValue}(data);
    }

    function _staking() private view returns (Staking) {
        return Staking(registry.getContract(RegistryKeys.STAKING));
    }
}
