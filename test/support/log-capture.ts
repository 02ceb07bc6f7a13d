import { Writable } from 'node:stream';

/** A destination for the gateway's logger that keeps every line, so tests can assert what was logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.lines.push(line);
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }
}
