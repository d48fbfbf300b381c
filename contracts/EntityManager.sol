// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title EntityManager
/// @notice The data chain's only contract. It checks that a user action was signed (EIP-712) and
/// not seen before, then emits it. Ownership, existence and limits are decided off chain by the
/// discovery nodes that index these events; nothing else is stored here.
/// Two entry points take the same action: manageEntity, with the reference protocol's exact typed
/// data that existing clients sign, and manageEntityWithDeadline, whose signature also carries a
/// deadline, so that a signed action that was never sent cannot be sent long after (for example
/// after a newer update of the same entity, rolling it back). Our SDK signs the second.
contract EntityManager is EIP712 {
    /// @dev The reference protocol writes `uint`, not `uint256`; the typehash is over this exact string.
    bytes32 public constant MANAGE_ENTITY_TYPEHASH = keccak256(
        "ManageEntity(uint userId,string entityType,uint entityId,string action,string metadata,bytes32 nonce)"
    );
    /// @dev Our own type, so canonical EIP-712 (`uint256`): any typed-data encoder produces it.
    bytes32 public constant MANAGE_ENTITY_WITH_DEADLINE_TYPEHASH = keccak256(
        "ManageEntityWithDeadline(uint256 userId,string entityType,uint256 entityId,string action,string metadata,bytes32 nonce,uint256 deadline)"
    );

    /// @notice The only account allowed to set a user's verified flag.
    address public immutable verifier;

    /// @dev digest => already used. Guards against the same signed action being relayed twice.
    mapping(bytes32 digest => bool used) private usedDigests;

    /// @notice A signed user action, carrying the recovered signer.
    event ManageEntity(
        uint256 _userId,
        address _signer,
        string _entityType,
        uint256 _entityId,
        string _metadata,
        string _action
    );

    /// @notice The verifier changed a user's verified flag.
    event ManageIsVerified(uint256 _userId, bool _isVerified);

    /// @notice The signature does not recover to an address.
    error InvalidSignature();
    /// @notice This exact signed action was already submitted.
    error SignatureAlreadyUsed(bytes32 digest);
    /// @notice Only the verifier may call this.
    error NotVerifier(address caller);
    /// @notice The verifier address must be set.
    error ZeroVerifier();
    /// @notice The signed action's deadline (unix seconds) has passed.
    error SignatureExpired(uint256 deadline, uint256 timestamp);

    /// @param verifier_ The account allowed to call manageIsVerified.
    constructor(address verifier_) EIP712("Entity Manager", "1") {
        if (verifier_ == address(0)) revert ZeroVerifier();
        verifier = verifier_;
    }

    /// @notice Submit a signed user action. Anyone may relay it; only the signature counts.
    /// @param userId The acting user's id.
    /// @param entityType `User`, `Track` or `Playlist` (for a social action, the target's type).
    /// @param entityId The entity acted on.
    /// @param action `Create`, `Update`, `Delete`, `Follow`, `Save`, `Repost`, ...
    /// @param metadata JSON `{"cid":"","data":{...}}`, or empty for social actions.
    /// @param nonce A random value that makes each signed action unique.
    /// @param subjectSig The 65-byte r||s||v EIP-712 signature of the user's wallet.
    function manageEntity(
        uint256 userId,
        string memory entityType,
        uint256 entityId,
        string memory action,
        string memory metadata,
        bytes32 nonce,
        bytes memory subjectSig
    ) external {
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    MANAGE_ENTITY_TYPEHASH,
                    userId,
                    keccak256(bytes(entityType)),
                    entityId,
                    keccak256(bytes(action)),
                    keccak256(bytes(metadata)),
                    nonce
                )
            )
        );
        _emitSigned(digest, userId, entityType, entityId, action, metadata, subjectSig);
    }

    /// @notice manageEntity with a deadline in the signed data: refused once the deadline has passed.
    /// @param userId The acting user's id.
    /// @param entityType `User`, `Track` or `Playlist` (for a social action, the target's type).
    /// @param entityId The entity acted on.
    /// @param action `Create`, `Update`, `Delete`, `Follow`, `Save`, `Repost`, ...
    /// @param metadata JSON `{"cid":"","data":{...}}`, or empty for social actions.
    /// @param nonce A random value that makes each signed action unique.
    /// @param deadline Unix seconds after which the signature is refused.
    /// @param subjectSig The 65-byte r||s||v EIP-712 signature of ManageEntityWithDeadline.
    function manageEntityWithDeadline(
        uint256 userId,
        string memory entityType,
        uint256 entityId,
        string memory action,
        string memory metadata,
        bytes32 nonce,
        uint256 deadline,
        bytes memory subjectSig
    ) external {
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    MANAGE_ENTITY_WITH_DEADLINE_TYPEHASH,
                    userId,
                    keccak256(bytes(entityType)),
                    entityId,
                    keccak256(bytes(action)),
                    keccak256(bytes(metadata)),
                    nonce,
                    deadline
                )
            )
        );
        _emitSigned(digest, userId, entityType, entityId, action, metadata, subjectSig);
    }

    /// @notice Set a user's verified flag after social verification.
    /// @param userId The user.
    /// @param isVerified The new flag.
    function manageIsVerified(uint256 userId, bool isVerified) external {
        if (msg.sender != verifier) revert NotVerifier(msg.sender);
        emit ManageIsVerified(userId, isVerified);
    }

    /// @notice Whether a digest was already used (lets relayers refuse a replay without paying gas).
    /// @param digest The EIP-712 digest of a ManageEntity message.
    function isDigestUsed(bytes32 digest) external view returns (bool) {
        return usedDigests[digest];
    }

    function _emitSigned(
        bytes32 digest,
        uint256 userId,
        string memory entityType,
        uint256 entityId,
        string memory action,
        string memory metadata,
        bytes memory subjectSig
    ) private {
        if (usedDigests[digest]) revert SignatureAlreadyUsed(digest);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, subjectSig);
        if (err != ECDSA.RecoverError.NoError || signer == address(0)) revert InvalidSignature();
        usedDigests[digest] = true;
        emit ManageEntity(userId, signer, entityType, entityId, metadata, action);
    }

    /// @notice The EIP-712 domain separator of this deployment.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }
}
