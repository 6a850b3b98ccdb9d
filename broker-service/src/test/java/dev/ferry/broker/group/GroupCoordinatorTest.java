package dev.ferry.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.group.GroupCommands.Join;
import dev.ferry.broker.group.GroupCommands.JoinResult;
import dev.ferry.broker.group.GroupCommands.Protocol;
import dev.ferry.broker.group.GroupCommands.Sync;
import dev.ferry.broker.group.GroupCommands.SyncResult;
import dev.ferry.broker.log.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic group state machine driven directly, with time moved by hand; session expiry is
 * triggered by calling the sweep rather than waiting for it.
 */
class GroupCoordinatorTest {

  @TempDir Path dir;
  private OffsetStoreFixture offsets;
  private MutableClock clock;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
  private GroupCoordinator coordinator;

  @BeforeEach
  void createCoordinator() throws IOException {
    offsets = new OffsetStoreFixture(dir, 1_000_000);
    clock = offsets.clock;
    coordinator =
        new GroupCoordinator(
            offsets.open(false),
            clock,
            scheduler,
            new GroupCoordinator.GroupSettings(0, 1_000, 60_000, TimeUnit.HOURS.toMillis(1)));
  }

  @AfterEach
  void close() throws IOException {
    scheduler.shutdownNow();
    offsets.close();
  }

  private static Join join(String memberId, int rebalanceTimeoutMs) {
    return new Join(
        "group",
        memberId,
        Optional.empty(),
        "client",
        "/127.0.0.1",
        "consumer",
        List.of(new Protocol("range", new byte[] {1}), new Protocol("roundrobin", new byte[] {2})),
        10_000,
        rebalanceTimeoutMs,
        false);
  }

  private JoinResult joinNow(String memberId) {
    CompletableFuture<JoinResult> result = coordinator.join(join(memberId, 30_000));
    assertThat(result).isDone();
    return result.join();
  }

  @Test
  void aSecondMemberTriggersARebalanceThatWaitsForTheFirstToRejoin() {
    JoinResult first = joinNow("");
    assertThat(first.error()).isEqualTo(Errors.NONE);
    assertThat(first.generationId()).isEqualTo(1);
    assertThat(first.leaderId()).isEqualTo(first.memberId());
    String a = first.memberId();
    assertThat(
            coordinator
                .sync(new Sync("group", 1, a, "consumer", "range", Map.of(a, new byte[] {9})))
                .join()
                .assignment())
        .containsExactly(9);

    CompletableFuture<JoinResult> second = coordinator.join(join("", 30_000));
    assertThat(second).isNotDone();
    assertThat(coordinator.heartbeat("group", a, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

    JoinResult rejoined = joinNow(a);
    assertThat(second).isDone();
    String b = second.join().memberId();
    assertThat(rejoined.generationId()).isEqualTo(2);
    assertThat(rejoined.protocolName()).isEqualTo("range");
    assertThat(rejoined.members())
        .extracting(GroupCommands.JoinedMember::memberId)
        .containsExactly(a, b);
    assertThat(second.join().members()).isEmpty();

    CompletableFuture<SyncResult> followerSync =
        coordinator.sync(new Sync("group", 2, b, null, null, Map.of()));
    assertThat(followerSync).isNotDone();
    SyncResult leaderSync =
        coordinator
            .sync(
                new Sync(
                    "group",
                    2,
                    a,
                    "consumer",
                    "range",
                    Map.of(a, new byte[] {1}, b, new byte[] {2})))
            .join();
    assertThat(leaderSync.assignment()).containsExactly(1);
    assertThat(followerSync.join().assignment()).containsExactly(2);
    assertThat(coordinator.describe("group").orElseThrow().state()).isEqualTo("Stable");
  }

  @Test
  void aNewMemberMustRejoinWithTheIdItWasGivenWhenTheClientAsksForIt() {
    Join join = join("", 30_000);
    Join strict =
        new Join(
            join.groupId(),
            "",
            join.groupInstanceId(),
            join.clientId(),
            join.clientHost(),
            join.protocolType(),
            join.protocols(),
            join.sessionTimeoutMs(),
            join.rebalanceTimeoutMs(),
            true);
    JoinResult required = coordinator.join(strict).join();
    assertThat(required.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    assertThat(required.memberId()).startsWith("client-");
    assertThat(joinNow(required.memberId()).error()).isEqualTo(Errors.NONE);
    assertThat(joinNow("made-up").error()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void aMemberWhoseSessionExpiresIsRemovedAndTheRestRebalance() {
    String a = joinNow("").memberId();
    CompletableFuture<JoinResult> second = coordinator.join(join("", 30_000));
    joinNow(a);
    String b = second.join().memberId();
    coordinator.sync(new Sync("group", 2, a, null, null, Map.of())).join();

    clock.advance(6_000);
    assertThat(coordinator.heartbeat("group", a, 2)).isEqualTo(Errors.NONE);
    clock.advance(6_000);
    coordinator.expireSessions();

    assertThat(coordinator.heartbeat("group", b, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(coordinator.heartbeat("group", a, 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    JoinResult alone = joinNow(a);
    assertThat(alone.generationId()).isEqualTo(3);
    assertThat(alone.members()).hasSize(1);
  }

  @Test
  void aMemberThatDoesNotRejoinWithinTheRebalanceTimeoutIsDropped() {
    String a = coordinator.join(join("", 200)).join().memberId();
    CompletableFuture<JoinResult> second = coordinator.join(join("", 200));
    // Member a never rejoins: the rebalance timer completes the join without it.
    JoinResult result = second.orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(result.error()).isEqualTo(Errors.NONE);
    assertThat(result.generationId()).isEqualTo(2);
    assertThat(result.leaderId()).isEqualTo(result.memberId());
    assertThat(coordinator.heartbeat("group", a, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @Test
  void leavingRebalancesAndTheLastLeaverEmptiesTheGroup() {
    String a = joinNow("").memberId();
    assertThat(coordinator.leave("group", List.of(a, "stranger")))
        .containsEntry(a, Errors.NONE)
        .containsEntry("stranger", Errors.UNKNOWN_MEMBER_ID);
    assertThat(coordinator.describe("group").orElseThrow().state()).isEqualTo("Empty");
  }

  @Test
  void offsetCommitsAreValidatedAgainstMembershipAndStoredDurably() throws IOException {
    String a = joinNow("").memberId();
    TopicPartition partition = new TopicPartition("t", 0);
    Map<TopicPartition, CommittedOffset> commit = offsets.at(partition, 42);

    assertThat(coordinator.commitOffsets("group", a, 1, commit))
        .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    coordinator.sync(new Sync("group", 1, a, null, null, Map.of())).join();
    assertThat(coordinator.commitOffsets("group", "stranger", 1, commit))
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(coordinator.commitOffsets("group", a, 7, commit))
        .isEqualTo(Errors.ILLEGAL_GENERATION);
    assertThat(coordinator.commitOffsets("group", "", -1, commit))
        .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    assertThat(coordinator.commitOffsets("group", a, 1, commit)).isEqualTo(Errors.NONE);

    OffsetStore reopened = offsets.open(true);
    assertThat(reopened.offsets("group").get(partition).offset()).isEqualTo(42);
    assertThat(reopened.offsets("group").get(partition).metadata()).isEqualTo("m42");
  }
}
