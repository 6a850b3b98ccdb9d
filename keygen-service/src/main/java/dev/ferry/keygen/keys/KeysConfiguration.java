package dev.ferry.keygen.keys;

import dev.ferry.common.concurrent.DaemonExecutors;
import dev.ferry.keygen.KeygenProperties;
import dev.ferry.keygen.code.ShortCodeCipher;
import dev.ferry.keygen.range.SegmentedCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutorService;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

  @Bean
  ShortCodeCipher shortCodeCipher(KeygenProperties properties) {
    return new ShortCodeCipher(properties.secretKeyBytes());
  }

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService keyPoolRefiller() {
    return DaemonExecutors.singleThread("keygen-buffer-refill");
  }

  @Bean
  KeyPool keyPool(
      SegmentedCounter counter,
      ShortCodeCipher cipher,
      KeygenProperties properties,
      ExecutorService keyPoolRefiller,
      MeterRegistry registry) {
    KeygenProperties.Buffer buffer = properties.buffer();
    return new KeyPool(
        counter,
        cipher,
        buffer.capacity(),
        buffer.lowWatermark(),
        buffer.chunk(),
        keyPoolRefiller,
        registry);
  }

  /** Fills the buffer once the service is up, so the first requests find codes ready. */
  @EventListener(ApplicationReadyEvent.class)
  void warmUp(ApplicationReadyEvent event) {
    event.getApplicationContext().getBean(KeyPool.class).refillInBackground();
  }
}
