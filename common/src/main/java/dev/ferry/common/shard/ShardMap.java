package dev.ferry.common.shard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Places each of a fixed number of logical shards on one physical database.
 *
 * <p>The number of logical shards is set once and never changed, since it decides which shard a
 * code hashes to. What may change is the placement: adding a physical database moves whole logical
 * shards (their schemas) to it and updates this map, and no row is ever re-hashed.
 *
 * <p>Invariant, checked on construction: every logical shard {@code 0..logicalShards-1} is placed
 * on exactly one physical database, and no other shard number appears. Immutable and thread-safe.
 */
public final class ShardMap {

  private final int logicalShards;
  private final String[] physicalByLogical;
  private final Map<String, List<Integer>> logicalByPhysical;

  private ShardMap(int logicalShards, String[] physicalByLogical) {
    this.logicalShards = logicalShards;
    this.physicalByLogical = physicalByLogical;
    Map<String, List<Integer>> byPhysical = new TreeMap<>();
    for (int shard = 0; shard < logicalShards; shard++) {
      byPhysical.computeIfAbsent(physicalByLogical[shard], name -> new ArrayList<>()).add(shard);
    }
    byPhysical.replaceAll((name, shards) -> List.copyOf(shards));
    this.logicalByPhysical = Collections.unmodifiableMap(byPhysical);
  }

  /**
   * Builds a map from a placement written as configuration: physical database name to the logical
   * shards it holds, as a comma-separated list of shard numbers and inclusive ranges ({@code
   * "0-7"}, {@code "0-3,8,10-11"}).
   *
   * @throws InvalidShardMapException if a shard is unplaced, placed twice, out of range, or a
   *     placement does not parse
   */
  public static ShardMap of(int logicalShards, Map<String, String> placement) {
    if (logicalShards < 1) {
      throw new InvalidShardMapException(
          "the number of logical shards must be positive, was " + logicalShards);
    }
    String[] physicalByLogical = new String[logicalShards];
    placement.forEach(
        (physical, shards) -> {
          if (physical == null || physical.isBlank()) {
            throw new InvalidShardMapException("a physical database name must not be blank");
          }
          for (int shard : parseShards(physical, shards)) {
            if (shard < 0 || shard >= logicalShards) {
              throw new InvalidShardMapException(
                  "logical shard "
                      + shard
                      + " placed on '"
                      + physical
                      + "' is outside 0.."
                      + (logicalShards - 1));
            }
            if (physicalByLogical[shard] != null) {
              throw new InvalidShardMapException(
                  "logical shard "
                      + shard
                      + " is placed twice, on '"
                      + physicalByLogical[shard]
                      + "' and on '"
                      + physical
                      + "'");
            }
            physicalByLogical[shard] = physical;
          }
        });
    List<Integer> unplaced = new ArrayList<>();
    for (int shard = 0; shard < logicalShards; shard++) {
      if (physicalByLogical[shard] == null) {
        unplaced.add(shard);
      }
    }
    if (!unplaced.isEmpty()) {
      throw new InvalidShardMapException(
          "logical shards " + unplaced + " are not placed on any physical database");
    }
    return new ShardMap(logicalShards, physicalByLogical);
  }

  /** All logical shards on the single physical database {@code physical}. */
  public static ShardMap single(int logicalShards, String physical) {
    return of(logicalShards, Map.of(physical, "0-" + (logicalShards - 1)));
  }

  private static Set<Integer> parseShards(String physical, String shards) {
    Set<Integer> result = new LinkedHashSet<>();
    if (shards == null || shards.isBlank()) {
      throw new InvalidShardMapException("no logical shards listed for '" + physical + "'");
    }
    for (String part : shards.split(",")) {
      String item = part.strip();
      int dash = item.indexOf('-', 1);
      int from;
      int to;
      try {
        from = Integer.parseInt(dash < 0 ? item : item.substring(0, dash).strip());
        to = dash < 0 ? from : Integer.parseInt(item.substring(dash + 1).strip());
      } catch (NumberFormatException e) {
        throw new InvalidShardMapException(
            "'" + item + "' in the placement of '" + physical + "' is not a shard or a range");
      }
      if (from > to) {
        throw new InvalidShardMapException(
            "range '" + item + "' for '" + physical + "' runs backwards");
      }
      for (int shard = from; shard <= to; shard++) {
        if (!result.add(shard)) {
          throw new InvalidShardMapException(
              "logical shard " + shard + " is listed twice for '" + physical + "'");
        }
      }
    }
    return result;
  }

  public int logicalShards() {
    return logicalShards;
  }

  /** The physical database holding logical shard {@code shard}. */
  public String physicalOf(int shard) {
    if (shard < 0 || shard >= logicalShards) {
      throw new IndexOutOfBoundsException(
          "logical shard " + shard + " outside 0.." + (logicalShards - 1));
    }
    return physicalByLogical[shard];
  }

  /** Physical database names, sorted. */
  public Set<String> physicalDatabases() {
    return logicalByPhysical.keySet();
  }

  /** The logical shards placed on {@code physical}, ascending; empty for an unknown name. */
  public List<Integer> logicalShardsOn(String physical) {
    return logicalByPhysical.getOrDefault(physical, List.of());
  }

  @Override
  public String toString() {
    return "ShardMap" + logicalByPhysical;
  }
}
