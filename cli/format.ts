import type { Playlist, Track, User } from "../sdk/models";

/** One line per entity, for people; --json gets the full objects. */
export const userLine = (u: User) => `${u.id.padEnd(8)} @${u.handle.padEnd(20)} ${u.name}  (${u.follower_count} followers, ${u.track_count} tracks)`;
export const trackLine = (t: Track) =>
  `${t.id.padEnd(8)} ${t.title}  by @${t.user.handle}  ${t.genre ? `[${t.genre}] ` : ""}${Math.round(t.duration)}s  ${t.repost_count} reposts ${t.favorite_count} saves ${t.play_count} plays`;
export const playlistLine = (p: Playlist) =>
  `${p.id.padEnd(8)} ${p.is_album ? "album   " : "playlist"} ${p.playlist_name}  by @${p.user.handle}  (${p.track_count} tracks)`;
