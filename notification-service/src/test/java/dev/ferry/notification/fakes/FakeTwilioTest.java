package dev.ferry.notification.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FakeTwilioTest {

  /**
   * Once in sixteen sends the fake used to throw while building its answer (a random long printed
   * in fewer than 16 hex digits, cut at a fixed length), so the SDK saw a closed connection and the
   * service retried the SMS a minute later: the e2e suite's flaky duplicate SMS.
   */
  @Test
  void everySuccessAnswersAMessageSidOfSmAnd32HexDigits() {
    try (FakeTwilio twilio = new FakeTwilio()) {
      for (int i = 0; i < 2_000; i++) {
        FakeProviderServer.Answer answer = twilio.success("+14155550100", "Body=hi");

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body()).containsPattern("\"sid\": \"SM[0-9a-f]{32}\"");
      }
    }
  }
}
