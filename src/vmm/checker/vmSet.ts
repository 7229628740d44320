/**
 * A set of VM ids for the rules (VMs holding a boost, owed one, blocked): a handful at most, so
 * a scan of a plain array beats hashing, and, unlike a Set, removing one never reallocates, so
 * nothing is allocated once the array has grown to the most VMs it held at once.
 */
export class VmSet {
  private readonly ids: number[] = [];
  /** The first `size` numbers of `ids` are the members. */
  size = 0;

  has(id: number): boolean {
    const ids = this.ids;
    for (let i = 0; i < this.size; i++) if (ids[i] === id) return true;
    return false;
  }

  add(id: number): void {
    if (!this.has(id)) this.ids[this.size++] = id;
  }

  /** Whether `id` was a member. */
  delete(id: number): boolean {
    const ids = this.ids;
    for (let i = 0; i < this.size; i++) {
      if (ids[i] !== id) continue;
      ids[i] = ids[--this.size]!;
      return true;
    }
    return false;
  }

  clear(): void {
    this.size = 0;
  }

  /** The members, in increasing order (for a message; allocates). */
  sorted(): number[] {
    return this.ids.slice(0, this.size).sort((a, b) => a - b);
  }
}
