import type { Playlist, Track, User } from "../sdk/models";

/** One line per entity, for people; --json gets the full objects. */
export const userLine = (u: User) => `${u.id.padEnd(8)} @${u.handle.padEnd(20)} ${u.name}  (${u.followerCount} followers, ${u.trackCount} tracks)`;
export const trackLine = (t: Track) =>
  `${t.id.padEnd(8)} ${t.title}  by @${t.user.handle}  ${t.genre ? `[${t.genre}] ` : ""}${Math.round(t.duration)}s  ${t.repostCount} reposts ${t.favoriteCount} saves ${t.playCount} plays`;
export const playlistLine = (p: Playlist) =>
  `${p.id.padEnd(8)} ${p.isAlbum ? "album   " : "playlist"} ${p.playlistName}  by @${p.user.handle}  (${p.trackCount} tracks)`;
