package dev.ferry.keygen.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.keygen.KeygenTestSupport;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * While the service shuts down, its refiller refuses work; a request that drains the buffer below
 * the low watermark at that moment still gets its codes instead of an error.
 */
class KeyPoolShutdownTest {

  @Test
  void aRequestDuringShutdownGetsItsCodesThoughTheRefillerIsGone() {
    try (ConfigurableApplicationContext keygen =
        KeygenTestSupport.startInstance(
            KeygenTestSupport.freshDatabase("shutdown"),
            "ferry.keygen.buffer.capacity=1000",
            "ferry.keygen.buffer.low-watermark=900",
            "ferry.keygen.buffer.chunk=100")) {
      KeyPool pool = keygen.getBean(KeyPool.class);
      keygen.getBean("keyPoolRefiller", ExecutorService.class).shutdownNow();

      Set<String> codes = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        List<String> batch = pool.take(100);
        assertThat(batch).hasSize(100);
        codes.addAll(batch);
      }

      assertThat(codes).hasSize(2_000);
    }
  }
}
