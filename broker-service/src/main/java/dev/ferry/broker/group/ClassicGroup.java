package dev.ferry.broker.group;

import dev.ferry.broker.group.GroupCommands.GroupDescription;
import dev.ferry.broker.group.GroupCommands.Join;
import dev.ferry.broker.group.GroupCommands.JoinResult;
import dev.ferry.broker.group.GroupCommands.JoinedMember;
import dev.ferry.broker.group.GroupCommands.MemberDescription;
import dev.ferry.broker.group.GroupCommands.Sync;
import dev.ferry.broker.group.GroupCommands.SyncResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.Errors;

/**
 * One consumer group under the classic rebalance protocol (JoinGroup/SyncGroup), the state machine
 * of Kafka's {@code ClassicGroup}:
 *
 * <pre>
 * EMPTY ──join──▶ PREPARING_REBALANCE ──all joined / timeout──▶ COMPLETING_REBALANCE
 *   ▲                  ▲       │ no members left                     │ leader's SyncGroup
 *   └──────────────────┼───────┘                                     ▼
 *                      └────── join, leave, session expiry ───── STABLE
 * </pre>
 *
 * <p>A rebalance waits until every known member has sent JoinGroup again, or until the largest
 * rebalance timeout passes, after which members that did not rejoin are removed. Completing it
 * bumps the generation, picks the protocol every member supports that most members prefer, and
 * answers all parked JoinGroups; the leader gets every member's subscription metadata and computes
 * the assignment on the client side, which the broker passes through untouched on SyncGroup. That
 * is why range, round-robin and cooperative-sticky assignors all work without broker support.
 *
 * <p>Thread-safety: every method must be called with this object's monitor held; the coordinator
 * and the timers it schedules synchronise on the group. Futures are completed under the monitor;
 * the network layer moves their continuations to the connection's own thread.
 */
final class ClassicGroup {

  enum State {
    EMPTY,
    PREPARING_REBALANCE,
    COMPLETING_REBALANCE,
    STABLE
  }

  final String groupId;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final long initialRebalanceDelayMs;
  private final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
  // Ids handed out with MEMBER_ID_REQUIRED that have not joined with them yet.
  private final Set<String> pendingMemberIds = new HashSet<>();
  private State state = State.EMPTY;
  private int generationId;
  private String protocolType;
  private String protocolName;
  private String leaderId;
  private ScheduledFuture<?> rebalanceTimer;
  private boolean initialDelayPending;

  ClassicGroup(
      String groupId, Clock clock, ScheduledExecutorService scheduler, long initialDelayMs) {
    this.groupId = groupId;
    this.clock = clock;
    this.scheduler = scheduler;
    this.initialRebalanceDelayMs = initialDelayMs;
  }

  State state() {
    return state;
  }

  int generationId() {
    return generationId;
  }

  String protocolType() {
    return protocolType;
  }

  boolean hasMember(String memberId) {
    return members.containsKey(memberId);
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  CompletableFuture<JoinResult> join(Join join) {
    if (!members.isEmpty() && !join.protocolType().equals(protocolType)) {
      return done(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, join.memberId()));
    }
    if (!members.isEmpty()
        && join.protocols().stream().noneMatch(p -> supportedByAll(p.name(), join.memberId()))) {
      return done(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, join.memberId()));
    }
    if (join.memberId().isEmpty()) {
      String memberId = join.clientId() + "-" + UUID.randomUUID();
      if (join.requireKnownMemberId()) {
        pendingMemberIds.add(memberId);
        return done(JoinResult.error(Errors.MEMBER_ID_REQUIRED, memberId));
      }
      return addMemberAndRebalance(join, memberId);
    }
    GroupMember member = members.get(join.memberId());
    if (member == null) {
      if (pendingMemberIds.remove(join.memberId())) {
        return addMemberAndRebalance(join, join.memberId());
      }
      return done(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, join.memberId()));
    }
    boolean changed = !member.sameProtocols(join.protocols());
    member.protocols = join.protocols();
    member.sessionTimeoutMs = join.sessionTimeoutMs();
    member.rebalanceTimeoutMs = join.rebalanceTimeoutMs();
    member.lastHeartbeatMs = clock.millis();
    if (state == State.PREPARING_REBALANCE) {
      return awaitJoin(member);
    }
    if (!changed && !member.memberId.equals(leaderId)) {
      // A follower resending JoinGroup (e.g. after losing the response) gets the current
      // generation back instead of forcing everyone through another rebalance.
      return done(joinResult(member));
    }
    CompletableFuture<JoinResult> result = awaitJoin(member);
    prepareRebalance();
    return result;
  }

  private CompletableFuture<JoinResult> addMemberAndRebalance(Join join, String memberId) {
    GroupMember member = new GroupMember(join, memberId, clock.millis());
    if (members.isEmpty()) {
      protocolType = join.protocolType();
    }
    members.put(memberId, member);
    CompletableFuture<JoinResult> result = awaitJoin(member);
    if (state == State.PREPARING_REBALANCE) {
      tryCompleteJoin();
    } else {
      prepareRebalance();
    }
    return result;
  }

  private CompletableFuture<JoinResult> awaitJoin(GroupMember member) {
    if (member.awaitingJoin != null) {
      member.awaitingJoin.complete(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, member.memberId));
    }
    member.awaitingJoin = new CompletableFuture<>();
    CompletableFuture<JoinResult> result = member.awaitingJoin;
    tryCompleteJoin();
    return result;
  }

  private void prepareRebalance() {
    if (state == State.COMPLETING_REBALANCE) {
      // The assignment of the generation being synced is void: its members must rejoin.
      for (GroupMember member : members.values()) {
        completeSync(member, SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
      }
    }
    boolean initial = state == State.EMPTY;
    state = State.PREPARING_REBALANCE;
    cancelTimer();
    long delayMs;
    if (initial && initialRebalanceDelayMs > 0) {
      initialDelayPending = true;
      delayMs = initialRebalanceDelayMs;
    } else {
      delayMs =
          members.values().stream().mapToLong(member -> member.rebalanceTimeoutMs).max().orElse(0);
    }
    rebalanceTimer = scheduler.schedule(this::onRebalanceTimeout, delayMs, TimeUnit.MILLISECONDS);
    tryCompleteJoin();
  }

  private void onRebalanceTimeout() {
    synchronized (this) {
      if (state == State.PREPARING_REBALANCE) {
        initialDelayPending = false;
        completeJoin();
      }
    }
  }

  private void tryCompleteJoin() {
    if (state == State.PREPARING_REBALANCE
        && !initialDelayPending
        && members.values().stream().allMatch(member -> member.awaitingJoin != null)) {
      completeJoin();
    }
  }

  /** Ends the join phase: drops members that did not rejoin and answers the ones that did. */
  private void completeJoin() {
    cancelTimer();
    members.values().removeIf(member -> member.awaitingJoin == null);
    generationId++;
    if (members.isEmpty()) {
      state = State.EMPTY;
      protocolName = null;
      leaderId = null;
      return;
    }
    protocolName = selectProtocol();
    if (leaderId == null || !members.containsKey(leaderId)) {
      leaderId = members.keySet().iterator().next();
    }
    state = State.COMPLETING_REBALANCE;
    long nowMs = clock.millis();
    for (GroupMember member : members.values()) {
      CompletableFuture<JoinResult> waiting = member.awaitingJoin;
      member.awaitingJoin = null;
      member.lastHeartbeatMs = nowMs;
      member.assignment = new byte[0];
      waiting.complete(joinResult(member));
    }
  }

  private JoinResult joinResult(GroupMember member) {
    List<JoinedMember> joined = new ArrayList<>();
    if (member.memberId.equals(leaderId)) {
      for (GroupMember each : members.values()) {
        joined.add(
            new JoinedMember(each.memberId, each.groupInstanceId, each.metadata(protocolName)));
      }
    }
    return new JoinResult(
        Errors.NONE, generationId, protocolType, protocolName, leaderId, member.memberId, joined);
  }

  /** Among the protocols every member supports, the one most members list first. */
  private String selectProtocol() {
    Map<String, Integer> votes = new HashMap<>();
    for (GroupMember member : members.values()) {
      member.protocols.stream()
          .map(GroupCommands.Protocol::name)
          .filter(name -> supportedByAll(name, null))
          .findFirst()
          .ifPresent(name -> votes.merge(name, 1, Integer::sum));
    }
    return votes.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElseThrow();
  }

  private boolean supportedByAll(String name, String exceptMemberId) {
    return members.values().stream()
        .filter(member -> !member.memberId.equals(exceptMemberId))
        .allMatch(member -> member.supports(name));
  }

  CompletableFuture<SyncResult> sync(Sync sync) {
    GroupMember member = members.get(sync.memberId());
    if (member == null) {
      return done(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
    }
    if (sync.generationId() != generationId) {
      return done(SyncResult.error(Errors.ILLEGAL_GENERATION));
    }
    if ((sync.protocolType() != null && !sync.protocolType().equals(protocolType))
        || (sync.protocolName() != null && !sync.protocolName().equals(protocolName))) {
      return done(SyncResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL));
    }
    switch (state) {
      case PREPARING_REBALANCE:
        return done(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
      case STABLE:
        return done(new SyncResult(Errors.NONE, protocolType, protocolName, member.assignment));
      case COMPLETING_REBALANCE:
        break;
      default:
        return done(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
    }
    member.lastHeartbeatMs = clock.millis();
    member.awaitingSync = new CompletableFuture<>();
    CompletableFuture<SyncResult> result = member.awaitingSync;
    if (member.memberId.equals(leaderId)) {
      for (GroupMember each : members.values()) {
        each.assignment = sync.assignments().getOrDefault(each.memberId, new byte[0]);
      }
      state = State.STABLE;
      for (GroupMember each : members.values()) {
        completeSync(
            each, new SyncResult(Errors.NONE, protocolType, protocolName, each.assignment));
      }
    }
    return result;
  }

  private static void completeSync(GroupMember member, SyncResult result) {
    if (member.awaitingSync != null) {
      CompletableFuture<SyncResult> waiting = member.awaitingSync;
      member.awaitingSync = null;
      waiting.complete(result);
    }
  }

  Errors heartbeat(String memberId, int generation) {
    GroupMember member = members.get(memberId);
    if (member == null) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    if (generation != generationId) {
      return Errors.ILLEGAL_GENERATION;
    }
    member.lastHeartbeatMs = clock.millis();
    return state == State.PREPARING_REBALANCE ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
  }

  /** Removes a member that left or whose session expired, and rebalances the rest. */
  Errors remove(String memberId) {
    GroupMember member = members.remove(memberId);
    if (member == null) {
      return pendingMemberIds.remove(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }
    if (member.awaitingJoin != null) {
      member.awaitingJoin.complete(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, memberId));
    }
    completeSync(member, SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
    if (state == State.PREPARING_REBALANCE) {
      if (members.isEmpty()) {
        completeJoin();
      } else {
        tryCompleteJoin();
      }
    } else if (state != State.EMPTY) {
      prepareRebalance();
    }
    return Errors.NONE;
  }

  /** Members whose session passed without a heartbeat; those waiting in a join are exempt. */
  List<String> expiredMembers() {
    long nowMs = clock.millis();
    List<String> expired = new ArrayList<>();
    for (GroupMember member : members.values()) {
      if (member.awaitingJoin == null && nowMs - member.lastHeartbeatMs > member.sessionTimeoutMs) {
        expired.add(member.memberId);
      }
    }
    return expired;
  }

  /** Whether an offset commit from this member and generation is allowed now. */
  Errors validateCommit(String memberId, int generation) {
    if (generation < 0 && memberId.isEmpty()) {
      // Commits from outside the group (admin tools, manual assignment) need an empty group.
      return members.isEmpty() ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }
    if (!members.containsKey(memberId)) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    if (generation != generationId) {
      return Errors.ILLEGAL_GENERATION;
    }
    if (state == State.COMPLETING_REBALANCE) {
      return Errors.REBALANCE_IN_PROGRESS;
    }
    return Errors.NONE;
  }

  GroupDescription describe() {
    List<MemberDescription> described = new ArrayList<>();
    for (GroupMember member : members.values()) {
      described.add(
          new MemberDescription(
              member.memberId,
              member.groupInstanceId,
              member.clientId,
              member.clientHost,
              state == State.STABLE ? member.metadata(protocolName) : new byte[0],
              state == State.STABLE ? member.assignment : new byte[0]));
    }
    return new GroupDescription(
        groupId,
        kafkaStateName(),
        protocolType == null ? "" : protocolType,
        state == State.STABLE ? protocolName : "",
        described);
  }

  /** The state names Kafka tools print. */
  String kafkaStateName() {
    return switch (state) {
      case EMPTY -> "Empty";
      case PREPARING_REBALANCE -> "PreparingRebalance";
      case COMPLETING_REBALANCE -> "CompletingRebalance";
      case STABLE -> "Stable";
    };
  }

  private void cancelTimer() {
    if (rebalanceTimer != null) {
      rebalanceTimer.cancel(false);
      rebalanceTimer = null;
    }
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
