package dev.ferry.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OffsetIndexTest {

  private static final long BASE_OFFSET = 1_000;

  @TempDir Path dir;

  @Test
  void lookupsMatchTreeMapFloorEntryOnRandomEntries() throws IOException {
    Random random = new Random(42);
    TreeMap<Long, Integer> reference = new TreeMap<>();
    try (OffsetIndex index = OffsetIndex.create(dir.resolve("a.index"), BASE_OFFSET)) {
      long offset = BASE_OFFSET;
      int position = 0;
      for (int i = 0; i < 5_000; i++) {
        offset += 1 + random.nextInt(20);
        position += 1 + random.nextInt(5_000);
        index.append(offset, position);
        reference.put(offset, position);
      }
      for (int i = 0; i < 20_000; i++) {
        long target = BASE_OFFSET + random.nextInt((int) (offset - BASE_OFFSET + 50));
        Map.Entry<Long, Integer> expected = reference.floorEntry(target);
        OffsetIndex.OffsetPosition actual = index.lookup(target);
        if (expected == null) {
          assertThat(actual).isEqualTo(new OffsetIndex.OffsetPosition(BASE_OFFSET, 0));
        } else {
          assertThat(actual)
              .isEqualTo(new OffsetIndex.OffsetPosition(expected.getKey(), expected.getValue()));
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    // target, expected offset, expected position
    "999, 1000, 0",
    "1000, 1000, 0",
    "1009, 1000, 0",
    "1010, 1010, 100",
    "1019, 1010, 100",
    "1020, 1020, 200",
    "9999, 1030, 300"
  })
  void lookupReturnsFloorEntryAtBoundaries(long target, long offset, int position)
      throws IOException {
    try (OffsetIndex index = OffsetIndex.create(dir.resolve("b.index"), BASE_OFFSET)) {
      index.append(1010, 100);
      index.append(1020, 200);
      index.append(1030, 300);
      assertThat(index.lookup(target)).isEqualTo(new OffsetIndex.OffsetPosition(offset, position));
    }
  }

  @Test
  void reloadedIndexAnswersLikeTheOriginal() throws IOException {
    Path path = dir.resolve("c.index");
    try (OffsetIndex index = OffsetIndex.create(path, BASE_OFFSET)) {
      index.append(1005, 50);
      index.append(1017, 170);
      index.flush();
    }
    try (OffsetIndex loaded = OffsetIndex.load(path, BASE_OFFSET, 1_000)) {
      assertThat(loaded.entries()).isEqualTo(2);
      assertThat(loaded.lookup(1020)).isEqualTo(new OffsetIndex.OffsetPosition(1017, 170));
    }
  }

  @Test
  void truncateRemovesEntriesAtAndAboveTheOffset() throws IOException {
    Path path = dir.resolve("d.index");
    try (OffsetIndex index = OffsetIndex.create(path, BASE_OFFSET)) {
      index.append(1010, 100);
      index.append(1020, 200);
      index.append(1030, 300);
      index.truncateTo(1020);
      assertThat(index.entries()).isEqualTo(1);
      assertThat(index.lookup(1025)).isEqualTo(new OffsetIndex.OffsetPosition(1010, 100));
      assertThat(Files.size(path)).isEqualTo(OffsetIndex.ENTRY_BYTES);
    }
  }

  @Test
  void rejectsEntriesThatDoNotIncrease() throws IOException {
    try (OffsetIndex index = OffsetIndex.create(dir.resolve("e.index"), BASE_OFFSET)) {
      index.append(1010, 100);
      assertThatThrownBy(() -> index.append(1010, 200))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> index.append(1020, 100))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> index.append(999, 300)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void loadRejectsATornOrUnorderedFile() throws IOException {
    Path torn = dir.resolve("torn.index");
    Files.write(torn, new byte[OffsetIndex.ENTRY_BYTES + 3]);
    assertThatThrownBy(() -> OffsetIndex.load(torn, BASE_OFFSET, 1_000))
        .isInstanceOf(CorruptIndexException.class);

    Path unordered = dir.resolve("unordered.index");
    Files.write(
        unordered, ByteBuffer.allocate(16).putInt(5).putInt(50).putInt(3).putInt(60).array());
    assertThatThrownBy(() -> OffsetIndex.load(unordered, BASE_OFFSET, 1_000))
        .isInstanceOf(CorruptIndexException.class);
  }
}
