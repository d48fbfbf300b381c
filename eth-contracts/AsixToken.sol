// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Registry} from "./Registry.sol";
import {RegistryKeys} from "./RegistryKeys.sol";

/// @title AsixToken ($AUDIO)
/// @notice ERC-20 "Asix"/"AUDIO", 18 decimals, with EIP-2612 permit. The whole initial supply goes to
/// the deployer; afterwards only the ClaimsManager registered in the Registry mints (funding rounds).
contract AsixToken is ERC20, ERC20Permit {
    /// @notice 1,000,000,000 AUDIO.
    uint256 public constant INITIAL_SUPPLY = 1_000_000_000 ether;

    /// @notice Where the minter (ClaimsManager) is looked up.
    Registry public immutable registry;

    /// @notice Only the registered ClaimsManager mints.
    error NotClaimsManager(address caller);

    /// @param initialHolder receives the initial supply
    /// @param registry_ the Registry holding "ClaimsManager"
    constructor(address initialHolder, Registry registry_) ERC20("Asix", "AUDIO") ERC20Permit("Asix") {
        registry = registry_;
        _mint(initialHolder, INITIAL_SUPPLY);
    }

    /// @notice Mint a funding round's tokens. Only the ClaimsManager may call.
    /// @param to receiver
    /// @param amount wei
    function mint(address to, uint256 amount) external {
        address minter = registry.getContract(RegistryKeys.CLAIMS_MANAGER);
        if (msg.sender != minter || minter == address(0)) revert NotClaimsManager(msg.sender);
        _mint(to, amount);
    }
}
