package dev.ferry.common.shard;

/** A shard placement that leaves a logical shard unplaced, places one twice, or does not parse. */
public final class InvalidShardMapException extends IllegalArgumentException {

  InvalidShardMapException(String message) {
    super(message);
  }
}
