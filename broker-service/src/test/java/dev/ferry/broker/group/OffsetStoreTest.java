package dev.ferry.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.log.LogCleaner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetStoreTest {

  private static final TopicPartition T0 = new TopicPartition("t", 0);
  private static final TopicPartition T1 = new TopicPartition("t", 1);

  @TempDir Path dataDir;
  private OffsetStoreFixture fixture;

  @AfterEach
  void close() throws IOException {
    fixture.close();
  }

  private void commitHistory() throws IOException {
    fixture = new OffsetStoreFixture(dataDir, 5_000);
    OffsetStore store = fixture.open(false);
    for (long offset = 1; offset <= 20; offset++) {
      store.commit("a", fixture.at(T0, offset));
    }
    store.commit("a", fixture.at(T1, 7));
    store.commit("b", fixture.at(T0, 3));
    fixture.close();
  }

  private void assertLatestValues(OffsetStore store) {
    assertThat(store.offsets("a").get(T0).offset()).isEqualTo(20);
    assertThat(store.offsets("a").get(T0).metadata()).isEqualTo("m20");
    assertThat(store.offsets("a").get(T1).offset()).isEqualTo(7);
    assertThat(store.offsets("b").get(T0).offset()).isEqualTo(3);
  }

  @Test
  void reopeningCompactsSupersededCommitsAndKeepsTheLatest() throws IOException {
    commitHistory();
    OffsetStore store = fixture.open(false);
    assertThat(store.replayedRecords()).isEqualTo(3);
    assertLatestValues(store);
    assertThat(dataDir.resolve("__consumer_offsets-0.old")).doesNotExist();
    assertThat(dataDir.resolve("__consumer_offsets-0.compacted")).doesNotExist();
  }

  @Test
  void aCompactionInterruptedBeforeTheSwapIsDiscarded() throws IOException {
    commitHistory();
    Path leftover = Files.createDirectories(dataDir.resolve("__consumer_offsets-0.compacted"));
    Files.write(leftover.resolve("00000000000000000000.log"), new byte[] {1, 2, 3});
    assertLatestValues(fixture.open(true));
    assertThat(leftover).doesNotExist();
  }

  @Test
  void aCompactionInterruptedBetweenTheRenamesIsFinished() throws IOException {
    commitHistory();
    // Compact once, then put the directories back in the state between the two renames.
    fixture.open(false);
    fixture.close();
    Files.move(
        dataDir.resolve("__consumer_offsets-0"), dataDir.resolve("__consumer_offsets-0.compacted"));
    Files.createDirectories(dataDir.resolve("__consumer_offsets-0.old"));
    OffsetStore store = fixture.open(false);
    assertLatestValues(store);
    assertThat(store.replayedRecords()).isEqualTo(3);
    assertThat(dataDir.resolve("__consumer_offsets-0.old")).doesNotExist();
  }

  /**
   * The runtime cleaner against a reference model (the last commit per group and partition): a
   * committer thread keeps committing increasing offsets for three groups while cleaning passes
   * run; meanwhile every lookup sees each group's offsets only move forward, afterwards they equal
   * the model, the cleaned log holds far fewer records than were committed, and replaying it (a
   * restart) restores every group's latest offsets.
   */
  @Test
  void theRuntimeCleanerCompactsTheOffsetsLogWhileGroupsCommitAndARestartRestoresTheLatest()
      throws Exception {
    fixture = new OffsetStoreFixture(dataDir, 5_000, OffsetStoreFixture.SMALL_SEGMENT_BYTES);
    OffsetStore store = fixture.open(false);
    LogCleaner cleaner = new LogCleaner(1 << 16);
    List<String> groups = List.of("g0", "g1", "g2");
    List<TopicPartition> partitions = List.of(T0, T1, new TopicPartition("u", 0));
    Map<String, Map<TopicPartition, Long>> model = new ConcurrentHashMap<>();
    AtomicBoolean cleaningDone = new AtomicBoolean();
    AtomicInteger commits = new AtomicInteger();
    CompletableFuture<Void> committer =
        CompletableFuture.runAsync(
            () -> {
              Random random = new Random(3);
              for (long offset = 1; offset <= 600 || !cleaningDone.get(); offset++) {
                String group = groups.get(random.nextInt(groups.size()));
                TopicPartition partition = partitions.get(random.nextInt(partitions.size()));
                try {
                  store.commit(group, fixture.at(partition, offset));
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
                model.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(partition, offset);
                commits.incrementAndGet();
              }
            });
    Map<String, Map<TopicPartition, Long>> seen = new HashMap<>();
    int segmentsReplaced = 0;
    for (int pass = 0; pass < 20 || segmentsReplaced == 0; pass++) {
      segmentsReplaced += store.clean(cleaner).segmentsReplaced();
      for (String group : groups) {
        for (Map.Entry<TopicPartition, CommittedOffset> offset : store.offsets(group).entrySet()) {
          long previous =
              seen.computeIfAbsent(group, g -> new HashMap<>()).getOrDefault(offset.getKey(), 0L);
          assertThat(offset.getValue().offset())
              .as("%s %s", group, offset.getKey())
              .isGreaterThanOrEqualTo(previous);
          seen.get(group).put(offset.getKey(), offset.getValue().offset());
        }
      }
    }
    cleaningDone.set(true);
    committer.get(60, TimeUnit.SECONDS);
    store.clean(cleaner);
    assertThat(segmentsReplaced).isPositive();
    assertThat(committedOffsets(store, groups)).isEqualTo(model);

    OffsetStore replayed = fixture.replay();
    assertThat(committedOffsets(replayed, groups)).isEqualTo(model);
    assertThat(replayed.replayedRecords())
        .as("the cleaned log holds far fewer records than were committed")
        .isLessThan(commits.get() / 4);
    assertThat(committedOffsets(fixture.open(true), groups)).isEqualTo(model);
  }

  private static Map<String, Map<TopicPartition, Long>> committedOffsets(
      OffsetStore store, List<String> groups) {
    Map<String, Map<TopicPartition, Long>> offsets = new HashMap<>();
    for (String group : groups) {
      Map<TopicPartition, Long> byPartition = new HashMap<>();
      store
          .offsets(group)
          .forEach((partition, offset) -> byPartition.put(partition, offset.offset()));
      if (!byPartition.isEmpty()) {
        offsets.put(group, byPartition);
      }
    }
    return offsets;
  }
}
