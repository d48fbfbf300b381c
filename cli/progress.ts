/** A one-line progress bar on stderr, for a terminal only; silent otherwise. */
export class ProgressBar {
  private lastPhase = "";
  private lastDraw = 0;

  constructor(private readonly enabled: boolean) {}

  update(phase: string, progress: number, loaded?: number, total?: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (phase === this.lastPhase && progress < 1 && now - this.lastDraw < 100) return;
    if (phase !== this.lastPhase && this.lastPhase) process.stderr.write("\n");
    this.lastPhase = phase;
    this.lastDraw = now;
    const width = 30;
    const filled = Math.round(Math.max(0, Math.min(1, progress)) * width);
    const size = loaded !== undefined ? `  ${mb(loaded)}${total ? ` / ${mb(total)}` : ""}` : "";
    process.stderr.write(`\r${phase.padEnd(9)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(progress * 100).toFixed(0).padStart(3)}%${size}   `);
  }

  done(): void {
    if (this.enabled && this.lastPhase) process.stderr.write("\n");
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
