// A ring buffer of the last `capacity` values of a series.
//
// Each value is written twice, at slot i and slot i + capacity, so the newest `capacity`
// values always sit contiguously (oldest first) at [start, start + capacity): a window
// computation loops over plain memory with no wrap-around test per element.

export class Ring {
  readonly capacity: i32;
  private data: usize; // 2 * capacity f64
  private head: i32 = 0; // next slot to write; the oldest value's slot once full
  private filled: i32 = 0;

  constructor(capacity: i32) {
    this.capacity = capacity;
    this.data = heap.alloc(<usize>capacity << 4);
  }

  reset(): void {
    this.head = 0;
    this.filled = 0;
  }

  push(value: f64): void {
    const slot = this.head;
    store<f64>(this.data + (<usize>slot << 3), value);
    store<f64>(this.data + (<usize>(slot + this.capacity) << 3), value);
    this.head = slot + 1 == this.capacity ? 0 : slot + 1;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Values held: min(values pushed, capacity). */
  get count(): i32 {
    return this.filled;
  }

  get full(): bool {
    return this.filled == this.capacity;
  }

  /** Address of the oldest held value; `count` f64 follow it contiguously. */
  get ptr(): usize {
    const start = this.filled == this.capacity ? this.head : 0;
    return this.data + (<usize>start << 3);
  }

  /** i = 0 is the oldest held value, count - 1 the newest. */
  // @ts-ignore: decorator
  @inline get(i: i32): f64 {
    return load<f64>(this.ptr + (<usize>i << 3));
  }

  // @ts-ignore: decorator
  @inline oldest(): f64 {
    return this.get(0);
  }

  // @ts-ignore: decorator
  @inline newest(): f64 {
    return this.get(this.filled - 1);
  }
}
