// The web player: sign up with an email wallet, upload a track with a progress bar, list your
// tracks and play one in <audio>. Plain DOM, the SDK imported as an app would import it.
import { createAsix, isAsixError, type Asix } from "@asix/sdk";
import { describeNetwork, loadNetwork } from "./network";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

interface Session {
  asix: Asix;
  userId?: string;
  handle?: string;
}

/** Errors go on the page (and to the test through #error), never unhandled. */
function showError(e: unknown): void {
  const box = $("error");
  box.textContent = isAsixError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  box.hidden = false;
}

function clearError(): void {
  $("error").hidden = true;
}

/** Run a form's action with its button disabled, and errors shown. */
function onSubmit(formId: string, buttonId: string, action: () => Promise<void>): void {
  $<HTMLFormElement>(formId).addEventListener("submit", (event) => {
    event.preventDefault();
    const button = $<HTMLButtonElement>(buttonId);
    button.disabled = true;
    clearError();
    action()
      .catch(showError)
      .finally(() => {
        button.disabled = false;
      });
  });
}

async function signUp(session: Session): Promise<void> {
  const email = $<HTMLInputElement>("email").value;
  const password = $<HTMLInputElement>("password").value;
  const handle = $<HTMLInputElement>("handle").value;
  const whoami = $("whoami");
  whoami.hidden = false;
  whoami.textContent = "creating your wallet…";
  const { walletAddress } = await session.asix.auth.signUp({ email, password });
  whoami.textContent = "creating your profile…";
  const { userId } = await session.asix.users.create({ handle });
  session.userId = userId;
  session.handle = handle;
  whoami.textContent = `signed in as @${handle} · ${walletAddress.slice(0, 6)}…${walletAddress.slice(-4)}`;
  whoami.dataset.userId = userId;
  $<HTMLButtonElement>("signup").hidden = true;
  $<HTMLButtonElement>("upload-button").disabled = false;
  $("upload-status").textContent = "choose a file";
  await refreshTracks(session);
}

const PHASES = { upload: "uploading", transcode: "transcoding", cover: "uploading cover", write: "publishing" } as const;

async function upload(session: Session): Promise<void> {
  const file = $<HTMLInputElement>("file").files?.[0];
  if (!file) throw new Error("choose an audio file first");
  const title = $<HTMLInputElement>("title").value;
  const bar = $<HTMLProgressElement>("upload-progress");
  const status = $("upload-status");
  bar.value = 0;
  const { trackId } = await session.asix.tracks.upload(file, { title }, {
    onProgress: (p) => {
      // The bar follows the bytes sent; later phases only change the label.
      if (p.phase === "upload") bar.value = p.progress;
      const bytes = p.phase === "upload" && p.total ? ` ${formatBytes(p.loaded ?? 0)} / ${formatBytes(p.total)}` : "";
      status.textContent = `${PHASES[p.phase]}… ${Math.round(p.progress * 100)}%${bytes}`;
    },
  });
  bar.value = 1;
  status.textContent = "published";
  status.dataset.trackId = trackId;
  await refreshTracks(session);
}

async function refreshTracks(session: Session): Promise<void> {
  if (!session.userId) return;
  const tracks = await session.asix.users.tracks(session.userId);
  const list = $("tracks");
  list.replaceChildren();
  if (tracks.length === 0) {
    list.innerHTML = `<li class="muted">no tracks yet</li>`;
    return;
  }
  for (const track of tracks) {
    const item = document.createElement("li");
    item.dataset.trackId = track.id;
    const meta = document.createElement("span");
    meta.className = "meta";
    const title = document.createElement("strong");
    title.textContent = track.title;
    const detail = document.createElement("small");
    detail.textContent = `@${track.user.handle} · ${formatDuration(track.duration)}`;
    meta.append(title, detail);
    const play = document.createElement("button");
    play.className = "play";
    play.textContent = "▶ Play";
    play.addEventListener("click", () => {
      clearError();
      playTrack(session, track.id, track.title).catch(showError);
    });
    item.append(meta, play);
    list.append(item);
  }
}

async function playTrack(session: Session, trackId: string, title: string): Promise<void> {
  const audio = $<HTMLAudioElement>("audio");
  // A signed content-node URL: the <audio> element fetches it with Range requests itself.
  audio.src = await session.asix.tracks.getStreamUrl(trackId);
  audio.dataset.trackId = trackId;
  $("now-playing").textContent = `now playing: ${title}`;
  await audio.play();
}

function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

async function start(): Promise<void> {
  const network = await loadNetwork(window.location);
  const session: Session = { asix: createAsix({ network }) };
  $("network").textContent = describeNetwork(network);
  onSubmit("signup-form", "signup", () => signUp(session));
  onSubmit("upload-form", "upload-button", () => upload(session));
  $<HTMLButtonElement>("signup").disabled = false;
  document.body.dataset.ready = "true";
}

start().catch(showError);
