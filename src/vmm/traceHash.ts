/**
 * The trace hash: a stable digest of the whole decision log (every history record, field by
 * field, in order). Same seed + same configuration → same hash, on any machine.
 *
 * Records of one kind always have the same fields in the same order (they are built by the
 * same code), so values alone are hashed; the few distinct strings (kinds, callback and service
 * names) are hashed once and remembered, which keeps hashing off the top of the profile.
 */
import { Digest, hashString } from '../shared/digest.js';
import type { HistoryRecord } from './history.js';

export class TraceHasher {
  private readonly digest = new Digest();
  private readonly stringWords = new Map<string, number>();
  records = 0;

  readonly onRecord = (record: HistoryRecord): void => {
    this.records++;
    this.feedObject(record as unknown as Record<string, unknown>);
  };

  hex(): string {
    return this.digest.hex();
  }

  private feedObject(object: Record<string, unknown>): void {
    for (const key in object) this.feed(object[key]);
  }

  private feed(value: unknown): void {
    switch (typeof value) {
      case 'number':
        this.digest.word(value);
        return;
      case 'string':
        this.digest.word(this.stringWord(value));
        return;
      case 'boolean':
        this.digest.word(value ? 1 : 2);
        return;
      case 'object':
        if (value === null) this.digest.word(0xffffffff);
        else if (Array.isArray(value)) {
          this.digest.word(value.length);
          for (const item of value) this.feed(item);
        } else this.feedObject(value as Record<string, unknown>);
        return;
      default:
        this.digest.word(0xfffffffe);
    }
  }

  private stringWord(value: string): number {
    let word = this.stringWords.get(value);
    if (word === undefined) {
      word = hashString(value);
      if (this.stringWords.size < 65_536) this.stringWords.set(value, word);
    }
    return word;
  }
}
