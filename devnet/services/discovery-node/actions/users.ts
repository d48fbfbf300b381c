import { LIMITS, Rejection, parseEntityMetadata, readHandle, readRef, readString } from "../metadata";
import { Ignored, requireActor, type ActionContext } from "./context";

/** User Create: binds the signer's wallet to a new user id; a Create of an existing id is ignored. */
export async function createUser(ctx: ActionContext): Promise<void> {
  const { state, action } = ctx;
  if (ctx.userId !== ctx.entityId) throw new Rejection("User Create must have userId equal to entityId");
  if (await state.user(ctx.entityId)) throw new Ignored(`user ${ctx.entityId} already exists`);
  const data = parseEntityMetadata(action.metadata);
  const wallet = readString(data, "wallet", 64);
  if (wallet && wallet.toLowerCase() !== action.signer) throw new Rejection("metadata wallet is not the signer", "unauthorized");
  if ((await state.userIdBy("wallet", action.signer)) !== undefined) {
    throw new Rejection(`wallet ${action.signer} already owns a user`, "conflict");
  }
  const handle = readHandle(data);
  if (!handle) throw new Rejection("handle is required");
  if ((await state.userIdBy("handle_lc", handle.toLowerCase())) !== undefined) throw new Rejection(`handle ${handle} is taken`, "conflict");
  const fields = {
    user_id: ctx.entityId,
    handle,
    handle_lc: handle.toLowerCase(),
    wallet: action.signer,
    name: readString(data, "name", LIMITS.name) ?? "",
    bio: readString(data, "bio", LIMITS.bio) ?? "",
    location: readString(data, "location", LIMITS.location) ?? "",
    profile_picture_sizes: readRef(data, "profile_picture_sizes") ?? "",
    cover_photo_sizes: readRef(data, "cover_photo_sizes") ?? "",
    created_at: action.timestamp,
    updated_at: action.timestamp,
    blocknumber: action.blocknumber,
    txhash: action.txhash,
  };
  state.insertEntity("users", fields);
  state.setSearch("users_fts", ctx.entityId, { handle, name: fields.name }, true);
}

/** User Update: only the owner; fields absent from the metadata keep their value. */
export async function updateUser(ctx: ActionContext): Promise<void> {
  const { state, action } = ctx;
  if (ctx.userId !== ctx.entityId) throw new Rejection("User Update must have userId equal to entityId");
  const user = await requireActor(ctx);
  const data = parseEntityMetadata(action.metadata);
  const wallet = readString(data, "wallet", 64);
  if (wallet && wallet.toLowerCase() !== user.wallet) throw new Rejection("a user's wallet cannot be changed", "unauthorized");
  const handle = readHandle(data);
  if (handle !== undefined && handle.toLowerCase() !== user.handle_lc) {
    if ((await state.userIdBy("handle_lc", handle.toLowerCase())) !== undefined) throw new Rejection(`handle ${handle} is taken`, "conflict");
  }
  state.updateEntity("users", ctx.entityId, {
    handle,
    handle_lc: handle?.toLowerCase(),
    name: readString(data, "name", LIMITS.name),
    bio: readString(data, "bio", LIMITS.bio),
    location: readString(data, "location", LIMITS.location),
    profile_picture_sizes: readRef(data, "profile_picture_sizes"),
    cover_photo_sizes: readRef(data, "cover_photo_sizes"),
    updated_at: action.timestamp,
  });
  const row = (await state.user(ctx.entityId))!;
  state.setSearch("users_fts", ctx.entityId, { handle: row.handle, name: row.name });
}

/** ManageIsVerified, sent by the verifier (the contract checks that). */
export async function setVerified(ctx: ActionContext): Promise<void> {
  if (!(await ctx.state.user(ctx.userId))) throw new Rejection(`user ${ctx.userId} does not exist`, "not_found");
  ctx.state.updateEntity("users", ctx.userId, { is_verified: ctx.action.isVerified ? 1 : 0 });
}
