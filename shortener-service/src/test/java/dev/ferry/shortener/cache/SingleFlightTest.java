package dev.ferry.shortener.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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

  /**
   * Many callers on a few keys, loads finishing on other threads at random moments, and a third of
   * the callers cancelling at once: every caller that stays gets its key's value, and no flight is
   * left behind.
   */
  @Test
  void everyCallerThatStaysIsAnsweredUnderConcurrentLoadsAndCancellations() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    Scheduler loaders = Schedulers.newParallel("loaders", 4);
    ConcurrentLinkedQueue<CompletableFuture<String>> stayers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();
    try {
      List<Future<?>> submitted = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        submitted.add(
            callers.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  String key = "k" + random.nextInt(4);
                  Mono<String> value =
                      flight.load(
                          key,
                          k ->
                              Mono.fromCallable(() -> k + "!")
                                  .delayElement(
                                      Duration.ofNanos(random.nextInt(200_000)), loaders));
                  if (random.nextInt(3) == 0) {
                    value.subscribe().dispose();
                  } else {
                    keys.add(key);
                    stayers.add(value.toFuture());
                  }
                }));
      }
      for (Future<?> caller : submitted) {
        caller.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      CompletableFuture.allOf(stayers.toArray(CompletableFuture[]::new))
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(stayers.stream().map(CompletableFuture::join).sorted())
          .containsExactlyElementsOf(keys.stream().map(key -> key + "!").sorted().toList());
      Awaitility.await().atMost(TIMEOUT).until(() -> flight.inFlight() == 0);
    } finally {
      callers.shutdownNow();
      loaders.dispose();
    }
  }
}
