package dev.ferry.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseSequencerTest {

  private static ByteBuffer response(long sequence) {
    return ByteBuffer.allocate(8).putLong(0, sequence);
  }

  @Test
  void releasesResponsesInRequestOrderWhateverTheCompletionOrder() {
    Random random = new Random(3);
    for (int round = 0; round < 50; round++) {
      ResponseSequencer<ByteBuffer> sequencer = new ResponseSequencer<>();
      List<Long> sequences = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        sequences.add(sequencer.register());
      }
      Collections.shuffle(sequences, random);
      List<Long> released = new ArrayList<>();
      for (long sequence : sequences) {
        Optional<ByteBuffer> body =
            sequence % 5 == 0 ? Optional.empty() : Optional.of(response(sequence));
        sequencer.complete(sequence, body).forEach(buffer -> released.add(buffer.getLong(0)));
      }
      List<Long> expected = new ArrayList<>();
      for (long sequence = 0; sequence < 40; sequence++) {
        if (sequence % 5 != 0) {
          expected.add(sequence);
        }
      }
      assertThat(released).containsExactlyElementsOf(expected);
      assertThat(sequencer.inFlight()).isZero();
    }
  }

  @Test
  void rejectsACompletionTwice() {
    ResponseSequencer<ByteBuffer> sequencer = new ResponseSequencer<>();
    long first = sequencer.register();
    sequencer.complete(first, Optional.empty());
    assertThatThrownBy(() -> sequencer.complete(first, Optional.empty()))
        .isInstanceOf(IllegalStateException.class);
  }
}
