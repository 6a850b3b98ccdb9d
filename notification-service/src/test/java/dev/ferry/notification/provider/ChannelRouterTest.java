package dev.ferry.notification.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.notification.Channel;
import dev.ferry.notification.Priority;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Failover and circuit breaking of the router, with scripted providers and a real breaker. */
class ChannelRouterTest {

  private final Scripted primary = new Scripted("primary");
  private final Scripted secondary = new Scripted("secondary");
  private final ChannelRouter router =
      new ChannelRouter(
          Map.of(Channel.SMS, List.of(primary, secondary), Channel.EMAIL, List.of(primary)),
          CircuitBreakerRegistry.of(
              CircuitBreakerConfig.custom()
                  .slidingWindowSize(4)
                  .minimumNumberOfCalls(4)
                  .failureRateThreshold(50)
                  .waitDurationInOpenState(Duration.ofHours(1))
                  .build()),
          new SimpleMeterRegistry());

  @Test
  void outageOfThePrimaryFailsOverToTheSecondaryInTheSameAttempt() {
    primary.next = () -> ProviderResult.Failed.of("primary", FailureKind.UNAVAILABLE, "503");

    List<ProviderResult> calls = router.send(message(Channel.SMS));

    assertThat(calls).extracting(ProviderResult::provider).containsExactly("primary", "secondary");
    assertThat(calls.get(1)).isInstanceOf(ProviderResult.Sent.class);
  }

  @Test
  void rateLimitAndDeadRecipientDoNotFailOver() {
    primary.next = () -> ProviderResult.Failed.of("primary", FailureKind.RATE_LIMITED, "429");
    assertThat(router.send(message(Channel.SMS)))
        .extracting(ProviderResult::provider)
        .containsExactly("primary");

    primary.next =
        () -> ProviderResult.Failed.of("primary", FailureKind.INVALID_RECIPIENT, "21211");
    assertThat(router.send(message(Channel.SMS)))
        .extracting(ProviderResult::provider)
        .containsExactly("primary");
    assertThat(secondary.calls).isZero();
  }

  @Test
  void openCircuitSkipsThePrimaryWithoutCallingIt() {
    primary.next = () -> ProviderResult.Failed.of("primary", FailureKind.UNAVAILABLE, "timeout");
    for (int i = 0; i < 4; i++) {
      router.send(message(Channel.SMS));
    }
    int primaryCallsWhenOpened = primary.calls;

    List<ProviderResult> calls = router.send(message(Channel.SMS));

    assertThat(primary.calls).isEqualTo(primaryCallsWhenOpened);
    assertThat(calls.get(0))
        .isInstanceOfSatisfying(
            ProviderResult.Failed.class, f -> assertThat(f.error()).contains("circuit open"));
    assertThat(calls.get(1)).isInstanceOf(ProviderResult.Sent.class);
  }

  @Test
  void channelWithoutSecondaryReportsThePrimaryFailure() {
    primary.next = () -> ProviderResult.Failed.of("primary", FailureKind.UNAVAILABLE, "500");

    List<ProviderResult> calls = router.send(message(Channel.EMAIL));

    assertThat(calls).singleElement().isInstanceOf(ProviderResult.Failed.class);
  }

  private static OutboundMessage message(Channel channel) {
    return new OutboundMessage(
        UUID.randomUUID(), channel, Priority.HIGH, "+15550100", null, "t", "b", Map.of());
  }

  private static final class Scripted implements NotificationProvider {
    private final String name;
    private final List<String> recipients = new ArrayList<>();
    private Supplier<ProviderResult> next;
    private int calls;

    Scripted(String name) {
      this.name = name;
      this.next = () -> new ProviderResult.Sent(name, name + "-id");
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ProviderResult send(OutboundMessage message) {
      calls++;
      recipients.add(message.recipient());
      return next.get();
    }
  }
}
