package dev.ferry.broker.log;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's key → latest offset map in a fixed amount of memory, as Kafka's {@code
 * SkimpyOffsetMap}: an open-addressing hash table in one byte array whose size the operator sets
 * ({@code log.cleaner-dedupe-buffer-bytes}, Kafka's {@code log.cleaner.dedupe.buffer.size}).
 *
 * <p>Format: each slot is {@value #BYTES_PER_ENTRY} bytes, the MD5 digest of the key (16 bytes)
 * followed by the offset plus one (8 bytes), so an all-zero slot is empty. Keys are stored as
 * digests so every entry costs the same whatever the key's length, which is what makes the bound a
 * number of entries; the price is that two keys with the same digest would be taken for one, a risk
 * Kafka accepts for the same reason (2^-128 per pair). Collisions of slot positions are resolved by
 * linear probing.
 *
 * <p>The map counts as {@link #isFull() full} at {@value #LOAD_FACTOR} of its slots (Kafka's {@code
 * log.cleaner.io.buffer.load.factor}), so probe sequences stay short. A full map still updates keys
 * it holds; the cleaner stops mapping at the first new key that does not fit and cleans only up to
 * there (see {@link LogCleaner}).
 *
 * <p>Not thread-safe: one cleaning pass uses it at a time.
 */
public final class OffsetMap {

  static final int HASH_BYTES = 16;
  static final int BYTES_PER_ENTRY = HASH_BYTES + 8;
  static final double LOAD_FACTOR = 0.9;

  private final byte[] slots;
  private final int slotCount;
  private final int maxEntries;
  private final MessageDigest digest;
  private final byte[] hash = new byte[HASH_BYTES];
  private int size;
  private long latestOffset = -1;

  /**
   * @param memoryBytes the memory the table may use; it holds {@code memoryBytes / }{@value
   *     #BYTES_PER_ENTRY} slots and at least one key must fit
   */
  public OffsetMap(int memoryBytes) {
    this.slotCount = memoryBytes / BYTES_PER_ENTRY;
    this.maxEntries = (int) (slotCount * LOAD_FACTOR);
    if (maxEntries < 1) {
      throw new IllegalArgumentException(
          "an offset map of " + memoryBytes + " bytes holds no key; it needs at least 2 slots");
    }
    this.slots = new byte[slotCount * BYTES_PER_ENTRY];
    try {
      this.digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides MD5", e);
    }
  }

  /**
   * Records {@code offset} as the latest offset of {@code key}; offsets must be put in increasing
   * order.
   *
   * @return false, changing nothing, when the key is new and the map is full
   */
  public boolean put(ByteBuffer key, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
    int slot = find(key);
    if (isEmpty(slot)) {
      if (isFull()) {
        return false;
      }
      System.arraycopy(hash, 0, slots, slot * BYTES_PER_ENTRY, HASH_BYTES);
      size++;
    }
    writeLong(slot * BYTES_PER_ENTRY + HASH_BYTES, offset + 1);
    latestOffset = offset;
    return true;
  }

  /** The latest offset put for {@code key}, or -1 when the map does not hold it. */
  public long get(ByteBuffer key) {
    int slot = find(key);
    return isEmpty(slot) ? -1 : readLong(slot * BYTES_PER_ENTRY + HASH_BYTES) - 1;
  }

  /** Whether a new key would be refused. */
  public boolean isFull() {
    return size >= maxEntries;
  }

  /** The number of distinct keys held. */
  public int size() {
    return size;
  }

  /** The most keys the map takes before it is full. */
  public int capacity() {
    return maxEntries;
  }

  /** The last offset put, or -1 when empty. */
  public long latestOffset() {
    return latestOffset;
  }

  /** Empties the map for the next pass, keeping its memory. */
  public void clear() {
    Arrays.fill(slots, (byte) 0);
    size = 0;
    latestOffset = -1;
  }

  /**
   * Hashes {@code key} into {@link #hash} and returns the slot that holds it or, if absent, the
   * empty slot where it belongs. There always is an empty slot: the map stops taking keys at {@link
   * #LOAD_FACTOR} of its slots.
   */
  private int find(ByteBuffer key) {
    digest.update(key.duplicate());
    try {
      digest.digest(hash, 0, HASH_BYTES);
    } catch (DigestException e) {
      throw new IllegalStateException("MD5 digests are 16 bytes", e);
    }
    int slot = Math.floorMod(ByteBuffer.wrap(hash).getInt(), slotCount);
    while (!isEmpty(slot) && !holdsHash(slot)) {
      slot = slot + 1 == slotCount ? 0 : slot + 1;
    }
    return slot;
  }

  private boolean isEmpty(int slot) {
    return readLong(slot * BYTES_PER_ENTRY + HASH_BYTES) == 0;
  }

  private boolean holdsHash(int slot) {
    int start = slot * BYTES_PER_ENTRY;
    return Arrays.equals(slots, start, start + HASH_BYTES, hash, 0, HASH_BYTES);
  }

  private long readLong(int position) {
    return ByteBuffer.wrap(slots, position, 8).getLong();
  }

  private void writeLong(int position, long value) {
    ByteBuffer.wrap(slots, position, 8).putLong(value);
  }
}
