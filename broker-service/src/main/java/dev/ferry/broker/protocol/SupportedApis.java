package dev.ferry.broker.protocol;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs and versions this broker implements, which is exactly what ApiVersions advertises.
 *
 * <p>Ranges start at the oldest version kafka-clients 4.1 can still parse (KIP-896 removed older
 * ones) and end at the newest version whose fields this broker fills correctly. Produce stops at
 * 12, Fetch at 12 and OffsetCommit/OffsetFetch at 9 because the next versions address topics by id
 * only; a client then simply uses the highest version both sides support. Everything not listed is
 * answered with {@code UNSUPPORTED_VERSION}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SupportedApis {

  private static final Map<ApiKeys, VersionRange> RANGES;

  static {
    Map<ApiKeys, VersionRange> ranges = new EnumMap<>(ApiKeys.class);
    ranges.put(ApiKeys.PRODUCE, new VersionRange(3, 12));
    ranges.put(ApiKeys.FETCH, new VersionRange(4, 12));
    ranges.put(ApiKeys.LIST_OFFSETS, new VersionRange(1, 10));
    ranges.put(ApiKeys.METADATA, new VersionRange(0, 12));
    ranges.put(ApiKeys.OFFSET_COMMIT, new VersionRange(2, 9));
    ranges.put(ApiKeys.OFFSET_FETCH, new VersionRange(1, 9));
    ranges.put(ApiKeys.FIND_COORDINATOR, new VersionRange(0, 6));
    ranges.put(ApiKeys.JOIN_GROUP, new VersionRange(0, 9));
    ranges.put(ApiKeys.HEARTBEAT, new VersionRange(0, 4));
    ranges.put(ApiKeys.LEAVE_GROUP, new VersionRange(0, 5));
    ranges.put(ApiKeys.SYNC_GROUP, new VersionRange(0, 5));
    ranges.put(ApiKeys.DESCRIBE_GROUPS, new VersionRange(0, 5));
    ranges.put(ApiKeys.LIST_GROUPS, new VersionRange(0, 5));
    ranges.put(ApiKeys.API_VERSIONS, new VersionRange(0, 4));
    ranges.put(ApiKeys.CREATE_TOPICS, new VersionRange(2, 7));
    ranges.put(ApiKeys.DELETE_TOPICS, new VersionRange(1, 6));
    ranges.put(ApiKeys.INIT_PRODUCER_ID, new VersionRange(0, 5));
    ranges.put(ApiKeys.DESCRIBE_CONFIGS, new VersionRange(1, 4));
    ranges.put(ApiKeys.DESCRIBE_CLUSTER, new VersionRange(0, 1));
    RANGES = Collections.unmodifiableMap(ranges);
  }

  private SupportedApis() {}

  /** The supported range of {@code api}, empty when it is not implemented. */
  public static Optional<VersionRange> range(ApiKeys api) {
    return Optional.ofNullable(RANGES.get(api));
  }

  public static boolean isSupported(ApiKeys api, short version) {
    VersionRange range = RANGES.get(api);
    return range != null && range.contains(version);
  }

  public static Map<ApiKeys, VersionRange> all() {
    return RANGES;
  }

  /** The list ApiVersions returns. */
  static ApiVersionCollection apiVersions() {
    ApiVersionCollection versions = new ApiVersionCollection();
    RANGES.forEach(
        (api, range) ->
            versions.add(
                new ApiVersion()
                    .setApiKey(api.id)
                    .setMinVersion(range.min())
                    .setMaxVersion(range.max())));
    return versions;
  }

  /** An inclusive range of API versions. */
  public record VersionRange(short min, short max) {

    VersionRange(int min, int max) {
      this((short) min, (short) max);
    }

    boolean contains(short version) {
      return version >= min && version <= max;
    }
  }
}
