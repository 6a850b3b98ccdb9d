package dev.ferry.common.shard;

import java.nio.charset.StandardCharsets;

/**
 * The stable hash that places a short code on a logical shard: 32-bit FNV-1a over the code's UTF-8
 * bytes.
 *
 * <p>Stability is the whole point: a code's shard must be the same in every process, on every JVM
 * and in every release, forever, because rows are never re-hashed. {@link String#hashCode()} is
 * stable too but mixes poorly in its low bits for short strings that differ in their last
 * character, which is exactly what keygen's codes do; FNV-1a is specified byte by byte, has no
 * seed, and spreads such codes evenly. Changing this function would orphan every stored link.
 *
 * <p>Stateless and thread-safe.
 */
public final class ShardHash {

  private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private ShardHash() {}

  /** The 32-bit FNV-1a hash of {@code code}'s UTF-8 bytes. */
  public static int fnv1a32(String code) {
    int hash = FNV_OFFSET_BASIS;
    for (byte b : code.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** The logical shard, in {@code 0..logicalShards-1}, of {@code code}. */
  public static int logicalShard(String code, int logicalShards) {
    if (code == null || code.isEmpty()) {
      throw new IllegalArgumentException("a short code must not be empty");
    }
    if (logicalShards < 1) {
      throw new IllegalArgumentException("logicalShards must be positive, was " + logicalShards);
    }
    return Integer.remainderUnsigned(fnv1a32(code), logicalShards);
  }
}
