// The devnet explorer page: catalog, search, user pages and a player through the SDK (as an app
// would use it in a browser), plus the nodes and relay panels from the explorer's own routes.
import { createAsix, isAsixError, type Asix, type DevnetDescriptor } from "@asix/sdk";
import { renderNetwork, renderRelay } from "./panels";
import { el, fill, playlistItem, playlistView, trackItem, trackView, type TrackActions, type TrackView } from "./views";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const REFRESH_MS = 2000;

function showError(e: unknown): void {
  const box = $("error");
  box.textContent = isAsixError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  box.hidden = false;
}

async function recent(discovery: string, kind: "tracks" | "playlists"): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${discovery}/v1/${kind}/recent?limit=50`);
  if (!res.ok) throw new Error(`recent ${kind}: the discovery node answered ${res.status}`);
  return ((await res.json()) as { data: Array<Record<string, unknown>> }).data;
}

async function main(): Promise<void> {
  const network = (await (await fetch("network.json")).json()) as DevnetDescriptor;
  const discovery = network.services.discovery[0];
  const asix: Asix = createAsix({ network });
  const audio = $<HTMLAudioElement>("audio");

  const actions: TrackActions = {
    play(track: TrackView) {
      void (async () => {
        // The discovery node signs the stream and picks a content node; the browser streams from it.
        audio.src = await asix.tracks.getStreamUrl(track.id);
        $("now-playing").textContent = `${track.title} · @${track.handle}`;
        $("now-playing").dataset.trackId = track.id;
        await audio.play();
      })().catch(showError);
    },
    openUser(userId: string) {
      void (async () => {
        const [user, tracks] = await Promise.all([asix.users.get(userId), asix.users.tracks(userId)]);
        $("user").hidden = false;
        $("user").dataset.userId = user.id;
        const avatar = user.profilePicture?.["150x150"];
        $("user-title").replaceChildren(...(avatar ? [el("img", { src: avatar, alt: "", className: "avatar" })] : []), `${user.name} @${user.handle}`);
        $("user-stats").textContent = `${user.location} · ${user.followerCount} followers · ${user.followeeCount} following · ${user.trackCount} tracks · ${user.bio}`;
        fill($("user-tracks"), tracks.map((t) => trackItem(trackView(t as never), actions)), "no tracks");
      })().catch(showError);
    },
  };

  const refreshCatalog = async () => {
    const [tracks, playlists] = await Promise.all([recent(discovery, "tracks"), recent(discovery, "playlists")]);
    fill($("recent-tracks"), tracks.map((t) => trackItem(trackView(t), actions)), "no tracks yet: try asix devnet seed");
    fill($("recent-playlists"), playlists.map((p) => playlistItem(playlistView(p), actions)), "no playlists yet");
  };

  $<HTMLFormElement>("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const query = $<HTMLInputElement>("search-input").value;
    void (async () => {
      const [tracks, users, playlists] = await Promise.all([asix.tracks.search(query), asix.users.search(query), asix.playlists.search(query)]);
      const userItems = users.map((u) => {
        const link = el("a", { textContent: `@${u.handle}` });
        link.addEventListener("click", () => actions.openUser(u.id));
        return el("li", { dataset: { userId: u.id } }, link, el("span", { className: "muted", textContent: ` ${u.name}` }));
      });
      const results = $("search-results");
      results.dataset.query = query;
      results.replaceChildren(
        el("h3", { textContent: `${tracks.length} tracks` }),
        el("ol", { id: "search-tracks" }, ...tracks.map((t) => trackItem(trackView(t as never), actions))),
        el("h3", { textContent: `${users.length} artists, ${playlists.length} playlists` }),
        el("ol", {}, ...userItems, ...playlists.map((p) => playlistItem(playlistView(p as never), actions))),
      );
    })().catch(showError);
  });

  await Promise.all([refreshCatalog(), renderNetwork(), renderRelay()]);
  document.body.dataset.ready = "true";
  // Panels follow the devnet; a failed refresh shows its error and the next one tries again.
  const refresh = () =>
    Promise.all([renderNetwork(), renderRelay()])
      .then(() => ($("error").hidden = true))
      .catch(showError)
      .finally(() => setTimeout(refresh, REFRESH_MS));
  setTimeout(refresh, REFRESH_MS);
  const refreshLists = () => refreshCatalog().catch(showError).finally(() => setTimeout(refreshLists, REFRESH_MS * 3));
  setTimeout(refreshLists, REFRESH_MS * 3);
}

main().catch(showError);
