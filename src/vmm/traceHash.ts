/**
 * The trace hash: a stable digest of the whole decision log (every history record, field by
 * field, in order). Same seed + same configuration → same hash, on any machine.
 */
import { Digest } from '../shared/digest.js';
import type { HistoryRecord } from './history.js';

function feed(digest: Digest, value: unknown): void {
  switch (typeof value) {
    case 'number': digest.word(value); return;
    case 'string': digest.text(value); return;
    case 'boolean': digest.word(value ? 1 : 2); return;
    case 'object':
      if (value === null) { digest.word(0xffffffff); return; }
      if (Array.isArray(value)) {
        digest.word(value.length);
        for (const item of value) feed(digest, item);
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        digest.text(key);
        feed(digest, item);
      }
      return;
    default:
      digest.word(0xfffffffe);
  }
}

export class TraceHasher {
  private readonly digest = new Digest();
  records = 0;

  readonly onRecord = (record: HistoryRecord): void => {
    this.records++;
    feed(this.digest, record);
  };

  hex(): string {
    return this.digest.hex();
  }
}
