package dev.ferry.broker.group;

import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.group.GroupCommands.GroupDescription;
import dev.ferry.broker.group.GroupCommands.GroupListing;
import dev.ferry.broker.group.GroupCommands.Join;
import dev.ferry.broker.group.GroupCommands.JoinResult;
import dev.ferry.broker.group.GroupCommands.Sync;
import dev.ferry.broker.group.GroupCommands.SyncResult;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of every consumer group on this node (a single node coordinates them all): routes
 * the classic group protocol to each {@link ClassicGroup}, expires members whose session passed
 * without a heartbeat, and validates and stores offset commits in the {@link OffsetStore}.
 *
 * <p>Group membership lives in memory, as in Kafka it is rebuilt by clients rejoining after a
 * coordinator restart; committed offsets are durable.
 *
 * <p>Thread-safety: safe for concurrent use. Each group is guarded by its own monitor; the group
 * map is concurrent. A session sweep runs every {@code sweepIntervalMs} on the scheduler.
 */
public final class GroupCoordinator {

  private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);
  private static final int MAX_METADATA_BYTES = 4096;

  private final ConcurrentHashMap<String, ClassicGroup> groups = new ConcurrentHashMap<>();
  private final OffsetStore offsetStore;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final GroupSettings settings;

  public GroupCoordinator(
      OffsetStore offsetStore,
      Clock clock,
      ScheduledExecutorService scheduler,
      GroupSettings settings) {
    this.offsetStore = offsetStore;
    this.clock = clock;
    this.scheduler = scheduler;
    this.settings = settings;
    scheduler.scheduleWithFixedDelay(
        this::expireSessions,
        settings.sweepIntervalMs(),
        settings.sweepIntervalMs(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * The coordinator's tunables.
   *
   * @param initialRebalanceDelayMs how long a new group waits for more members
   * @param minSessionTimeoutMs the shortest session a member may ask for
   * @param maxSessionTimeoutMs the longest session a member may ask for
   * @param sweepIntervalMs how often expired sessions are looked for
   */
  public record GroupSettings(
      long initialRebalanceDelayMs,
      int minSessionTimeoutMs,
      int maxSessionTimeoutMs,
      long sweepIntervalMs) {}

  public CompletableFuture<JoinResult> join(Join join) {
    if (join.groupId().isEmpty()) {
      return CompletableFuture.completedFuture(
          JoinResult.error(Errors.INVALID_GROUP_ID, join.memberId()));
    }
    if (join.sessionTimeoutMs() < settings.minSessionTimeoutMs()
        || join.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
      return CompletableFuture.completedFuture(
          JoinResult.error(Errors.INVALID_SESSION_TIMEOUT, join.memberId()));
    }
    ClassicGroup group = groups.computeIfAbsent(join.groupId(), this::newGroup);
    synchronized (group) {
      return group.join(join);
    }
  }

  private ClassicGroup newGroup(String groupId) {
    return new ClassicGroup(groupId, clock, scheduler, settings.initialRebalanceDelayMs());
  }

  public CompletableFuture<SyncResult> sync(Sync sync) {
    ClassicGroup group = groups.get(sync.groupId());
    if (group == null) {
      return CompletableFuture.completedFuture(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
    }
    synchronized (group) {
      return group.sync(sync);
    }
  }

  public Errors heartbeat(String groupId, String memberId, int generationId) {
    ClassicGroup group = groups.get(groupId);
    if (group == null) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    synchronized (group) {
      return group.heartbeat(memberId, generationId);
    }
  }

  /** Removes members that are leaving; returns each member's outcome. */
  public Map<String, Errors> leave(String groupId, List<String> memberIds) {
    ClassicGroup group = groups.get(groupId);
    Map<String, Errors> results = new LinkedHashMap<>();
    for (String memberId : memberIds) {
      if (group == null) {
        results.put(memberId, Errors.UNKNOWN_MEMBER_ID);
        continue;
      }
      synchronized (group) {
        results.put(memberId, group.remove(memberId));
      }
    }
    return results;
  }

  /** Removes members whose session passed; runs on the scheduler, and directly in tests. */
  void expireSessions() {
    for (ClassicGroup group : groups.values()) {
      synchronized (group) {
        for (String memberId : group.expiredMembers()) {
          log.info(
              "Member {} of group {} missed its session; removing it", memberId, group.groupId);
          group.remove(memberId);
        }
      }
    }
  }

  /**
   * Validates and durably stores an offset commit.
   *
   * @return the error for every partition, {@link Errors#NONE} when stored
   */
  public Errors commitOffsets(
      String groupId,
      String memberId,
      int generationId,
      Map<TopicPartition, CommittedOffset> commits) {
    if (groupId.isEmpty()) {
      return Errors.INVALID_GROUP_ID;
    }
    if (commits.values().stream()
        .anyMatch(offset -> offset.metadata().length() > MAX_METADATA_BYTES)) {
      return Errors.OFFSET_METADATA_TOO_LARGE;
    }
    ClassicGroup group = groups.get(groupId);
    if (group != null) {
      synchronized (group) {
        Errors error = group.validateCommit(memberId, generationId);
        if (error != Errors.NONE) {
          return error;
        }
      }
    } else if (generationId >= 0) {
      return Errors.ILLEGAL_GENERATION;
    }
    try {
      offsetStore.commit(groupId, commits);
      return Errors.NONE;
    } catch (IOException e) {
      log.error("Storing offsets of group {} failed", groupId, e);
      return Errors.COORDINATOR_NOT_AVAILABLE;
    }
  }

  /** The committed offsets of a group, by partition. */
  public Map<TopicPartition, CommittedOffset> committedOffsets(String groupId) {
    return offsetStore.offsets(groupId);
  }

  /** The group's committed offset for one partition; empty when it committed none there. */
  public Optional<CommittedOffset> committedOffset(String groupId, TopicPartition partition) {
    return offsetStore.offset(groupId, partition);
  }

  public Optional<GroupDescription> describe(String groupId) {
    ClassicGroup group = groups.get(groupId);
    if (group == null) {
      return offsetStore.groups().contains(groupId)
          ? Optional.of(new GroupDescription(groupId, "Empty", "", "", List.of()))
          : Optional.empty();
    }
    synchronized (group) {
      return Optional.of(group.describe());
    }
  }

  /** Every group with members or committed offsets. */
  public List<GroupListing> list() {
    TreeSet<String> ids = new TreeSet<>(groups.keySet());
    ids.addAll(offsetStore.groups());
    List<GroupListing> listings = new ArrayList<>();
    for (String id : ids) {
      ClassicGroup group = groups.get(id);
      if (group == null) {
        listings.add(new GroupListing(id, "", "Empty"));
      } else {
        synchronized (group) {
          listings.add(
              new GroupListing(
                  id,
                  group.protocolType() == null ? "" : group.protocolType(),
                  group.kafkaStateName()));
        }
      }
    }
    return listings;
  }
}
