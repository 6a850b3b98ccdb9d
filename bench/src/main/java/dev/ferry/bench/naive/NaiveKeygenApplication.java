package dev.ferry.bench.naive;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The key generator a reader would write first, as the benchmark's baseline: one Postgres {@code
 * nextval} round trip per code, base62-encoded as in the design guide, served over the same HTTP
 * API as keygen-service. Its codes are unique but sequential, so they are also enumerable.
 */
@SpringBootApplication
@RestController
public class NaiveKeygenApplication {

  private static final String ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private record Keys(List<String> keys) {}

  private final JdbcClient jdbc;

  NaiveKeygenApplication(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public static void main(String[] args) {
    SpringApplication.run(NaiveKeygenApplication.class, args);
  }

  @Bean
  ApplicationRunner createSequence() {
    return args -> jdbc.sql("CREATE SEQUENCE IF NOT EXISTS naive_keys").update();
  }

  @PostMapping("/api/v1/keys")
  Keys issue(@RequestParam int count) {
    List<String> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long next = jdbc.sql("SELECT nextval('naive_keys')").query(Long.class).single();
      keys.add(base62(next));
    }
    return new Keys(keys);
  }

  private static String base62(long value) {
    StringBuilder code = new StringBuilder();
    do {
      code.append(ALPHABET.charAt((int) (value % 62)));
      value /= 62;
    } while (value > 0);
    return code.reverse().toString();
  }
}
