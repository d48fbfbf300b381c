// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Governed} from "./Governed.sol";

/// @title ServiceTypeManager
/// @notice The kinds of node an operator can register ("content-node", "discovery-node" as bytes32
/// strings), each with its stake bounds and its list of valid versions. Governance edits them.
contract ServiceTypeManager is Governed {
    struct ServiceTypeInfo {
        bool isValid;
        uint256 minStake;
        uint256 maxStake;
    }

    mapping(bytes32 serviceType => ServiceTypeInfo) private serviceTypeInfo;
    bytes32[] private validServiceTypes;
    mapping(bytes32 serviceType => bytes32[] versions) private serviceTypeVersions;
    mapping(bytes32 serviceType => mapping(bytes32 version => bool)) private versionIsValid;

    /// @notice A service type was added.
    event ServiceTypeAdded(bytes32 indexed serviceType, uint256 minStake, uint256 maxStake);
    /// @notice A service type's stake bounds changed.
    event ServiceTypeUpdated(bytes32 indexed serviceType, uint256 minStake, uint256 maxStake);
    /// @notice A service type was removed; its endpoints no longer count towards bounds.
    event ServiceTypeRemoved(bytes32 indexed serviceType);
    /// @notice A version became valid for a service type.
    event SetServiceVersion(bytes32 indexed serviceType, bytes32 serviceVersion);
    /// @notice A version stopped being valid for a service type.
    event ServiceVersionRemoved(bytes32 indexed serviceType, bytes32 serviceVersion);

    /// @notice The service type exists already.
    error ServiceTypeAlreadyExists(bytes32 serviceType);
    /// @notice The service type does not exist.
    error InvalidServiceType(bytes32 serviceType);
    /// @notice Bounds must satisfy 0 < min <= max.
    error InvalidStakeBounds(uint256 minStake, uint256 maxStake);
    /// @notice The version is already valid for this type.
    error ServiceVersionAlreadyExists(bytes32 serviceType, bytes32 serviceVersion);
    /// @notice The version is not valid for this type.
    error ServiceVersionNotFound(bytes32 serviceType, bytes32 serviceVersion);

    /// @param governance_ the initial governance (the deployer, until it hands over)
    constructor(address governance_) Governed(governance_) {}

    /// @notice Add a service type with its stake bounds.
    /// @param serviceType bytes32 name, e.g. "content-node"
    /// @param minStake minimum stake per endpoint of this type, wei
    /// @param maxStake maximum stake per endpoint of this type, wei
    function addServiceType(bytes32 serviceType, uint256 minStake, uint256 maxStake) external onlyGovernance {
        if (serviceTypeInfo[serviceType].isValid) revert ServiceTypeAlreadyExists(serviceType);
        if (minStake == 0 || minStake > maxStake) revert InvalidStakeBounds(minStake, maxStake);
        serviceTypeInfo[serviceType] = ServiceTypeInfo(true, minStake, maxStake);
        validServiceTypes.push(serviceType);
        emit ServiceTypeAdded(serviceType, minStake, maxStake);
    }

    /// @notice Change a service type's stake bounds; they apply to every operator's next stake change.
    /// @param serviceType bytes32 name
    /// @param minStake new minimum, wei
    /// @param maxStake new maximum, wei
    function updateServiceType(bytes32 serviceType, uint256 minStake, uint256 maxStake) external onlyGovernance {
        ServiceTypeInfo storage info = serviceTypeInfo[serviceType];
        if (!info.isValid) revert InvalidServiceType(serviceType);
        if (minStake == 0 || minStake > maxStake) revert InvalidStakeBounds(minStake, maxStake);
        info.minStake = minStake;
        info.maxStake = maxStake;
        emit ServiceTypeUpdated(serviceType, minStake, maxStake);
    }

    /// @notice Remove a service type; no new endpoint of this type can be registered.
    /// @param serviceType bytes32 name
    function removeServiceType(bytes32 serviceType) external onlyGovernance {
        if (!serviceTypeInfo[serviceType].isValid) revert InvalidServiceType(serviceType);
        delete serviceTypeInfo[serviceType];
        uint256 n = validServiceTypes.length;
        for (uint256 i = 0; i < n; i++) {
            if (validServiceTypes[i] == serviceType) {
                validServiceTypes[i] = validServiceTypes[n - 1];
                validServiceTypes.pop();
                break;
            }
        }
        emit ServiceTypeRemoved(serviceType);
    }

    /// @notice Add a valid version for a service type; the newest one added is the current version.
    /// @param serviceType bytes32 name
    /// @param serviceVersion bytes32 version string, e.g. "0.1.0"
    function setServiceVersion(bytes32 serviceType, bytes32 serviceVersion) external onlyGovernance {
        if (!serviceTypeInfo[serviceType].isValid) revert InvalidServiceType(serviceType);
        if (versionIsValid[serviceType][serviceVersion]) revert ServiceVersionAlreadyExists(serviceType, serviceVersion);
        versionIsValid[serviceType][serviceVersion] = true;
        serviceTypeVersions[serviceType].push(serviceVersion);
        emit SetServiceVersion(serviceType, serviceVersion);
    }

    /// @notice Remove a valid version of a service type.
    /// @param serviceType bytes32 name
    /// @param serviceVersion the version to remove
    function removeServiceVersion(bytes32 serviceType, bytes32 serviceVersion) external onlyGovernance {
        if (!versionIsValid[serviceType][serviceVersion]) revert ServiceVersionNotFound(serviceType, serviceVersion);
        versionIsValid[serviceType][serviceVersion] = false;
        bytes32[] storage versions = serviceTypeVersions[serviceType];
        uint256 n = versions.length;
        for (uint256 i = 0; i < n; i++) {
            if (versions[i] == serviceVersion) {
                // keep the order so that the last entry stays the current version
                for (uint256 j = i; j + 1 < n; j++) versions[j] = versions[j + 1];
                versions.pop();
                break;
            }
        }
        emit ServiceVersionRemoved(serviceType, serviceVersion);
    }

    /// @notice A service type's validity and stake bounds.
    /// @param serviceType bytes32 name
    function getServiceTypeInfo(bytes32 serviceType)
        external
        view
        returns (bool isValid, uint256 minStake, uint256 maxStake)
    {
        ServiceTypeInfo memory info = serviceTypeInfo[serviceType];
        return (info.isValid, info.minStake, info.maxStake);
    }

    /// @notice Whether `serviceType` can be registered.
    /// @param serviceType bytes32 name
    function serviceTypeIsValid(bytes32 serviceType) external view returns (bool) {
        return serviceTypeInfo[serviceType].isValid;
    }

    /// @notice Every valid service type.
    function getValidServiceTypes() external view returns (bytes32[] memory) {
        return validServiceTypes;
    }

    /// @notice How many valid versions a service type has.
    /// @param serviceType bytes32 name
    function getNumberOfVersions(bytes32 serviceType) external view returns (uint256) {
        return serviceTypeVersions[serviceType].length;
    }

    /// @notice The valid version at `index` (oldest first).
    /// @param serviceType bytes32 name
    /// @param index position in the list
    function getVersion(bytes32 serviceType, uint256 index) external view returns (bytes32) {
        return serviceTypeVersions[serviceType][index];
    }

    /// @notice The newest valid version, or zero when there is none.
    /// @param serviceType bytes32 name
    function getCurrentVersion(bytes32 serviceType) external view returns (bytes32) {
        bytes32[] storage versions = serviceTypeVersions[serviceType];
        return versions.length == 0 ? bytes32(0) : versions[versions.length - 1];
    }

    /// @notice Whether `serviceVersion` is valid for `serviceType`.
    /// @param serviceType bytes32 name
    /// @param serviceVersion bytes32 version
    function serviceVersionIsValid(bytes32 serviceType, bytes32 serviceVersion) external view returns (bool) {
        return versionIsValid[serviceType][serviceVersion];
    }
}
