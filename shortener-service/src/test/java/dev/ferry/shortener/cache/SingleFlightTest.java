package dev.ferry.shortener.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class SingleFlightTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final SingleFlight<String, String> flight = new SingleFlight<>();

  @Test
  void callersArrivingDuringALoadShareItsResult() {
    Sinks.One<String> database = Sinks.one();
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<String> leader =
        flight
            .load(
                "k",
                key -> {
                  loads.incrementAndGet();
                  return database.asMono();
                })
            .toFuture();
    List<CompletableFuture<String>> followers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      followers.add(
          flight
              .load(
                  "k",
                  key -> {
                    loads.incrementAndGet();
                    return Mono.just("second load");
                  })
              .toFuture());
    }
    assertThat(flight.waiters("k")).isEqualTo(followers.size());

    database.tryEmitValue("value");

    assertThat(leader.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("value");
    for (CompletableFuture<String> follower : followers) {
      assertThat(follower.join()).isEqualTo("value");
    }
    assertThat(loads).hasValue(1);
    assertThat(flight.inFlight()).isZero();
  }

  @Test
  void aCallerThatGoesAwayCancelsNeitherTheLoadNorTheOtherCallers() {
    Sinks.One<String> database = Sinks.one();
    AtomicInteger cancelledLoads = new AtomicInteger();
    Disposable leaver =
        flight
            .load("k", key -> database.asMono().doOnCancel(cancelledLoads::incrementAndGet))
            .subscribe();
    CompletableFuture<String> stayer = flight.load("k", key -> Mono.just("second load")).toFuture();

    leaver.dispose();
    database.tryEmitValue("value");

    Awaitility.await().atMost(TIMEOUT).until(stayer::isDone);
    assertThat(stayer.join()).isEqualTo("value");
    assertThat(cancelledLoads).hasValue(0);
  }

  @Test
  void aFailedLoadFailsItsWaitersAndTheNextCallTriesAgain() {
    assertThatThrownBy(
            () ->
                flight
                    .load("k", key -> Mono.error(new IllegalStateException("database down")))
                    .block(TIMEOUT))
        .hasMessage("database down");

    assertThat(flight.load("k", key -> Mono.just("recovered")).block(TIMEOUT))
        .isEqualTo("recovered");
    assertThat(flight.inFlight()).isZero();
  }

  @Test
  void differentKeysLoadIndependently() {
    assertThat(flight.load("a", key -> Mono.just(key + "!")).block(TIMEOUT)).isEqualTo("a!");
    assertThat(flight.load("b", key -> Mono.just(key + "?")).block(TIMEOUT)).isEqualTo("b?");
  }
}
