package dev.ferry.shortener.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PendingInvalidationsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aCodeKeptManyTimesIsReplayedOnceInTheOrderCodesWereFirstKept() {
    PendingInvalidations pending = new PendingInvalidations(10, registry);
    pending.add("b");
    pending.add("a");
    pending.add("b");
    pending.add("c");
    pending.add("a");
    List<String> sent = new ArrayList<>();

    int replayed = pending.replay(sent::add);

    assertThat(sent).containsExactly("b", "a", "c");
    assertThat(replayed).isEqualTo(3);
    assertThat(pending.size()).isZero();
    assertThat(counter("ferry.shortener.cache.invalidations.replayed")).isEqualTo(3.0);
  }

  @Test
  void aReplayStopsAtTheFirstRefusalAndKeepsTheRest() {
    PendingInvalidations pending = new PendingInvalidations(10, registry);
    for (String code : List.of("a", "b", "c", "d")) {
      pending.add(code);
    }
    List<String> sent = new ArrayList<>();

    int replayed = pending.replay(code -> !code.equals("c") && sent.add(code));

    assertThat(replayed).isEqualTo(2);
    assertThat(sent).containsExactly("a", "b");
    assertThat(pending.size()).isEqualTo(2);
    assertThat(registry.get("ferry.shortener.cache.invalidations.pending").gauge().value())
        .isEqualTo(2.0);
    sent.clear();
    assertThat(pending.replay(sent::add)).isEqualTo(2);
    assertThat(sent).containsExactly("c", "d");
  }

  @Test
  void codesBeyondTheBoundAreDroppedAndCountedButKnownCodesStillFit() {
    PendingInvalidations pending = new PendingInvalidations(2, registry);
    pending.add("a");
    pending.add("b");
    pending.add("c");
    pending.add("a");
    pending.add("d");

    assertThat(pending.size()).isEqualTo(2);
    assertThat(counter("ferry.shortener.cache.invalidations.dropped")).isEqualTo(2.0);
    List<String> sent = new ArrayList<>();
    pending.replay(sent::add);
    assertThat(sent).containsExactlyInAnyOrderElementsOf(Set.of("a", "b"));
  }

  @Test
  void aCodeKeptAgainWhileItsReplayRunsIsReplayedAgainLater() {
    PendingInvalidations pending = new PendingInvalidations(10, registry);
    pending.add("a");
    List<String> sent = new ArrayList<>();

    pending.replay(
        code -> {
          // A change of the same code fails to reach Redis while the replay is under way.
          pending.add(code);
          return sent.add(code);
        });

    assertThat(pending.size()).isEqualTo(1);
    pending.replay(sent::add);
    assertThat(sent).containsExactly("a", "a");
    assertThat(pending.size()).isZero();
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }
}
