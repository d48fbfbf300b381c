// Rendering helpers: plain DOM, no framework. Text goes in through textContent, never innerHTML.

/** What a track row needs, from an SDK model (camelCase) or a wire model (snake_case). */
export interface TrackView {
  id: string;
  title: string;
  handle: string;
  userId: string;
  duration: number;
  plays: number;
  artwork: string;
}

export interface PlaylistView {
  id: string;
  name: string;
  handle: string;
  userId: string;
  isAlbum: boolean;
  tracks: number;
}

type Loose = Record<string, unknown> & { user?: Record<string, unknown>; artwork?: Record<string, string> };

export function trackView(t: Loose): TrackView {
  return {
    id: String(t.id),
    title: String(t.title),
    handle: String(t.user?.handle ?? ""),
    userId: String(t.user?.id ?? ""),
    duration: Number(t.duration ?? 0),
    plays: Number(t.playCount ?? t.play_count ?? 0),
    artwork: t.artwork?.["150x150"] ?? "",
  };
}

export function playlistView(p: Loose): PlaylistView {
  return {
    id: String(p.id),
    name: String(p.playlistName ?? p.playlist_name),
    handle: String(p.user?.handle ?? ""),
    userId: String(p.user?.id ?? ""),
    isAlbum: Boolean(p.isAlbum ?? p.is_album),
    tracks: Number(p.trackCount ?? p.track_count ?? 0),
  };
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string> } = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(node, rest);
  if (dataset) Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}

export interface TrackActions {
  play(track: TrackView): void;
  openUser(userId: string): void;
}

export function trackItem(track: TrackView, actions: TrackActions): HTMLLIElement {
  const play = el("button", { className: "play", textContent: "▶", title: `play ${track.title}` });
  play.addEventListener("click", () => actions.play(track));
  const artist = el("a", { textContent: `@${track.handle}` });
  artist.addEventListener("click", () => actions.openUser(track.userId));
  const cover = track.artwork ? el("img", { src: track.artwork, alt: "" }) : "";
  return el("li", { dataset: { trackId: track.id } }, play, cover, el("span", { className: "title", textContent: track.title }), " · ", artist, el("span", { className: "muted", textContent: ` · ${Math.round(track.duration)} s · ${track.plays} plays` }));
}

export function playlistItem(p: PlaylistView, actions: TrackActions): HTMLLIElement {
  const owner = el("a", { textContent: `@${p.handle}` });
  owner.addEventListener("click", () => actions.openUser(p.userId));
  return el("li", { dataset: { playlistId: p.id } }, el("span", { textContent: p.name }), el("span", { className: "muted", textContent: ` · ${p.isAlbum ? "album" : "playlist"} of ${p.tracks} · ` }), owner);
}

export function fill(list: HTMLElement, items: HTMLElement[], empty: string): void {
  list.replaceChildren(...(items.length > 0 ? items : [el("li", { className: "muted", textContent: empty })]));
}

/** "200,000 AUDIO" from wei. */
export function audio(wei: string): string {
  const whole = BigInt(wei) / 10n ** 18n;
  return `${whole.toLocaleString("en-US")} AUDIO`;
}

export const short = (address: string) => (address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address);
