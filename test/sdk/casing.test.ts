import { expect } from "chai";
import { camelize, camelKey, type Camelized } from "../../sdk/casing";
import type * as wire from "../../sdk/protocol/models";

describe("SDK output casing", () => {
  it("camelCases every key of a wire model, recursively through objects, arrays and unions", () => {
    const wireRepost = {
      timestamp: "2026-01-01T00:00:00Z",
      item_type: "playlist",
      item: {
        playlist_name: "Mix",
        playlist_contents: [{ track_id: "7eP5n", timestamp: 1, metadata_timestamp: 2 }],
        user: { spl_usdc_wallet: "", profile_picture: { "150x150": "u1", "480x480": "u2", "1000x1000": "u3" } },
      },
    };
    const repost = camelize(wireRepost);
    expect(repost).to.deep.equal({
      timestamp: "2026-01-01T00:00:00Z",
      itemType: "playlist",
      item: {
        playlistName: "Mix",
        playlistContents: [{ trackId: "7eP5n", timestamp: 1, metadataTimestamp: 2 }],
        user: { splUsdcWallet: "", profilePicture: { "150x150": "u1", "480x480": "u2", "1000x1000": "u3" } },
      },
    });
  });

  it("changes keys only: values such as hashids, enum strings and null stay as they are", () => {
    const favorite: Camelized<wire.Favorite> = camelize<wire.Favorite>({
      favorite_item_id: "Qm3ab",
      favorite_type: "SaveType.track",
      user_id: "7eP5n",
      created_at: "2026-01-01T00:00:00Z",
    });
    expect(favorite).to.deep.equal({ favoriteItemId: "Qm3ab", favoriteType: "SaveType.track", userId: "7eP5n", createdAt: "2026-01-01T00:00:00Z" });
    expect(camelize({ some_key: null, list_of: [1, "a_b"] })).to.deep.equal({ someKey: null, listOf: [1, "a_b"] });
    expect(camelize("plain_string")).to.equal("plain_string");
  });

  it("leaves keys without an underscore unchanged, like image sizes", () => {
    expect(["150x150", "640x", "2000x", "id", "permalink"].map(camelKey)).to.deep.equal(["150x150", "640x", "2000x", "id", "permalink"]);
    expect(camelKey("is_original_available")).to.equal("isOriginalAvailable");
  });
});
