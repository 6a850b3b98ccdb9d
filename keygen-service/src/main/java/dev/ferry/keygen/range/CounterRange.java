package dev.ferry.keygen.range;

/**
 * The counters {@code [start, end)}: a range claimed from Postgres, or a block of one.
 *
 * @param start first counter, inclusive
 * @param end last counter, exclusive; never below {@code start}
 */
public record CounterRange(long start, long end) {

  public CounterRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("not a counter range: [" + start + ", " + end + ")");
    }
  }

  public int size() {
    return Math.toIntExact(end - start);
  }

  public long length() {
    return end - start;
  }
}
