/** One decoded EntityManager event, in chain order. */
export interface ChainAction {
  blocknumber: number;
  logIndex: number;
  txhash: string;
  /** block time, unix seconds */
  timestamp: number;
  kind: "ManageEntity" | "ManageIsVerified";
  userId: bigint;
  /** recovered signer (lower case); "" for ManageIsVerified */
  signer: string;
  entityType: string;
  entityId: bigint;
  action: string;
  metadata: string;
  isVerified?: boolean;
  /** a string field was not valid UTF-8 (the action is rejected) */
  invalidUtf8?: boolean;
}
