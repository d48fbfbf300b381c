// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Registry} from "./Registry.sol";
import {RegistryKeys, PermitSignature} from "./RegistryKeys.sol";
import {PermitFailed} from "./Errors.sol";

/// @dev Permit the Staking contract to pull `amount` of `owner`'s tokens, for the `...WithPermit`
/// and `...For` entry points of ServiceProviderFactory and DelegateManager. A failed permit (for
/// example one front-run by its own submission) is fine when the allowance already covers the amount.
function permitStaking(Registry registry, address owner, uint256 amount, PermitSignature calldata permit) {
    address token = registry.getContract(RegistryKeys.TOKEN);
    address staking = registry.getContract(RegistryKeys.STAKING);
    try IERC20Permit(token).permit(owner, staking, amount, permit.deadline, permit.v, permit.r, permit.s) {}
    catch {
        uint256 allowance = IERC20(token).allowance(owner, staking);
        if (allowance < amount) revert PermitFailed(owner, allowance, amount);
    }
}
