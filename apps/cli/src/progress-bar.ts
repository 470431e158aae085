/** A one-line progress bar on stderr (redrawn in place on a terminal, a line per step otherwise). */
export class ProgressBar {
  private lastDraw = 0;
  private lastDone = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number, extra = ''): void {
    const now = Date.now();
    if (done === this.lastDone || (done < total && now - this.lastDraw < (this.stream.isTTY ? 100 : 2_000))) return;
    this.lastDraw = now;
    this.lastDone = done;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    const rate = done / Math.max(0.001, (now - this.started) / 1000);
    const line = `${this.label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done}/${total} ${Math.round(rate)}/s ${extra}`;
    this.stream.write(this.stream.isTTY ? `\r${line}` : `${line}\n`);
  }

  done(message: string): void {
    this.stream.write(`${this.stream.isTTY ? '\n' : ''}${message}\n`);
  }
}
