/**
 * EntityManager typed data (sdk/typedData.ts) together with the contract's ethers Interface, for
 * the services and tests that want both from one place. The SDK's own paths import
 * ./typedData, which needs no ethers.
 */
export * from "./typedData";
export { entityManagerInterface } from "./protocol/entityManager";
