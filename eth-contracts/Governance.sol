// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Registry} from "./Registry.sol";
import {Staking} from "./Staking.sol";
import {RegistryKeys} from "./RegistryKeys.sol";
import {NotGovernance, ZeroAddress} from "./Errors.sol";

/// @title Governance
/// @notice Stakers propose calls to registered contracts and vote on them, weighted by their stake
/// at the proposal's block. After the voting period plus the execution delay anyone evaluates a
/// proposal: with quorum (votes cast >= quorumPercent of the stake at the proposal's block) and
/// more Yes than No, the call runs from this contract, which holds the governance role of every
/// other contract. The guardian can veto a proposal and execute a call directly. Slashed tokens
/// land here (the community treasury) and leave only through a proposal.
contract Governance {
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
    }

    /// @notice Where targets and Staking are looked up.
    Registry public immutable registry;
    /// @notice Blocks during which votes are accepted, from the proposal's block.
    uint256 public votingPeriod;
    /// @notice Blocks after the voting period before the proposal can be evaluated.
    uint256 public executionDelay;
    /// @notice Percent of the stake that must vote for an outcome to count.
    uint256 public quorumPercent;
    /// @notice Can veto and execute directly.
    address public guardian;
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
    /// @notice The guardian role moved.
    event GuardianshipTransferred(address indexed newGuardian);
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
    /// @notice Only the guardian may call this.
    error NotGuardian(address caller);
    /// @notice The guardian's call reverted.
    error TransactionFailed(bytes returnData);
    /// @notice Quorum is a percentage.
    error InvalidQuorumPercent(uint256 quorumPercent);

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
    ) {
        if (guardian_ == address(0)) revert ZeroAddress();
        if (quorumPercent_ == 0 || quorumPercent_ > 100) revert InvalidQuorumPercent(quorumPercent_);
        registry = registry_;
        guardian = guardian_;
        votingPeriod = votingPeriod_;
        executionDelay = executionDelay_;
        quorumPercent = quorumPercent_;
    }

    modifier onlySelf() {
        if (msg.sender != address(this)) revert NotGovernance(msg.sender);
        _;
    }

    modifier onlyGuardian() {
        if (msg.sender != guardian) revert NotGuardian(msg.sender);
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
        if (_staking().totalStakedFor(msg.sender) == 0) revert NotAStaker(msg.sender);
        address target = registry.getContract(targetContractRegistryKey);
        if (target == address(0)) revert InvalidTargetContract(targetContractRegistryKey);
        if (bytes(functionSignature).length == 0) revert EmptyFunctionSignature();
        proposalId = ++lastProposalId;
        Proposal storage proposal = proposals[proposalId];
        proposal.proposer = msg.sender;
        proposal.submissionBlockNumber = block.number;
        proposal.targetContractRegistryKey = targetContractRegistryKey;
        proposal.targetContractAddress = target;
        proposal.callValue = callValue;
        proposal.functionSignature = functionSignature;
        proposal.callData = callData;
        emit ProposalSubmitted(proposalId, msg.sender, name, description);
    }

    /// @notice Vote Yes or No, weighted by the caller's stake at the proposal's block.
    /// @param proposalId the proposal
    /// @param vote Yes (2) or No (1)
    function submitVote(uint256 proposalId, Vote vote) external {
        Proposal storage proposal = _inProgress(proposalId);
        uint256 votingEndBlock = proposal.submissionBlockNumber + votingPeriod;
        if (block.number > votingEndBlock) revert VotingPeriodEnded(proposalId, votingEndBlock);
        if (vote == Vote.None) revert InvalidVote();
        if (votes[proposalId][msg.sender] != Vote.None) revert AlreadyVoted(proposalId, msg.sender);
        uint256 magnitude = _staking().totalStakedForAt(msg.sender, proposal.submissionBlockNumber);
        if (magnitude == 0) revert NotAStaker(msg.sender);
        votes[proposalId][msg.sender] = vote;
        if (vote == Vote.Yes) proposal.voteMagnitudeYes += magnitude;
        else proposal.voteMagnitudeNo += magnitude;
        proposal.numVotes += 1;
        emit ProposalVoteSubmitted(proposalId, msg.sender, vote, magnitude);
    }

    /// @notice Settle a proposal once its voting period and execution delay have passed: without
    /// quorum it ends QuorumNotMet, with more No than Yes (or a tie) Rejected; otherwise its call
    /// runs and it ends ApprovedExecuted or ApprovedExecutionFailed. Anyone may call.
    /// @param proposalId the proposal
    /// @return outcome the recorded outcome
    function evaluateProposalOutcome(uint256 proposalId) external returns (Outcome outcome) {
        Proposal storage proposal = _inProgress(proposalId);
        uint256 earliest = proposal.submissionBlockNumber + votingPeriod + executionDelay;
        if (block.number < earliest) revert EvaluationTooEarly(proposalId, earliest, block.number);
        uint256 stakeAtProposal = _staking().totalStakedAt(proposal.submissionBlockNumber);
        uint256 voted = proposal.voteMagnitudeYes + proposal.voteMagnitudeNo;
        bool execute = false;
        if (voted * 100 < quorumPercent * stakeAtProposal || voted == 0) {
            outcome = Outcome.QuorumNotMet;
        } else if (proposal.voteMagnitudeYes <= proposal.voteMagnitudeNo) {
            outcome = Outcome.Rejected;
        } else {
            // settle first so that a re-entrant evaluation sees the proposal as done
            outcome = Outcome.ApprovedExecuted;
            execute = true;
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

    /// @notice Veto an in-progress proposal. Guardian only.
    /// @param proposalId the proposal
    function vetoProposal(uint256 proposalId) external onlyGuardian {
        Proposal storage proposal = _inProgress(proposalId);
        proposal.outcome = Outcome.Vetoed;
        emit ProposalVetoed(proposalId);
    }

    /// @notice Call a registered contract as Governance without a vote. Guardian only; reverts if
    /// the call does.
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
        (bool success, bytes memory returnData) = _call(target, callValue, functionSignature, callData);
        if (!success) revert TransactionFailed(returnData);
        emit GuardianTransactionExecuted(target, callValue, functionSignature, callData, returnData);
    }

    /// @notice Hand the guardian role to another address. Guardian only.
    /// @param newGuardian the new guardian
    function transferGuardianship(address newGuardian) external onlyGuardian {
        if (newGuardian == address(0)) revert ZeroAddress();
        guardian = newGuardian;
        emit GuardianshipTransferred(newGuardian);
    }

    /// @notice Set the voting period. Only through a proposal (or the guardian).
    /// @param votingPeriod_ blocks
    function updateVotingPeriod(uint256 votingPeriod_) external onlySelf {
        votingPeriod = votingPeriod_;
        emit VotingPeriodUpdated(votingPeriod_);
    }

    /// @notice Set the execution delay. Only through a proposal (or the guardian).
    /// @param executionDelay_ blocks
    function updateExecutionDelay(uint256 executionDelay_) external onlySelf {
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

    function _inProgress(uint256 proposalId) private view returns (Proposal storage proposal) {
        if (proposalId == 0 || proposalId > lastProposalId) revert ProposalNotFound(proposalId);
        proposal = proposals[proposalId];
        if (proposal.outcome != Outcome.InProgress) revert ProposalNotInProgress(proposalId, proposal.outcome);
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
