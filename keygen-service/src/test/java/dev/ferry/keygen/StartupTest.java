package dev.ferry.keygen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.keygen.range.KeyMismatchException;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

class StartupTest {

  @Test
  void refusesToStartWithoutASecretKey() {
    String database = KeygenTestSupport.freshDatabase("no_key");

    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(KeygenApplication.class)
                    .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + database,
                        "--ferry.keygen.secret-key=")
                    .close())
        .hasStackTraceContaining("ferry.keygen.secret-key")
        .hasStackTraceContaining("is required");
  }

  @Test
  void refusesAKeyThatIsNotAnAesKey() {
    String database = KeygenTestSupport.freshDatabase("bad_key");

    assertThatThrownBy(
            () ->
                KeygenTestSupport.startInstance(database, "ferry.keygen.secret-key=abc123").close())
        .hasStackTraceContaining("32, 48 or 64 hex digits");
  }

  @Test
  void theLocalProfileStartsWithItsPublicDevelopmentKey() {
    String database = KeygenTestSupport.freshDatabase("local_profile");
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(KeygenApplication.class)
            .profiles("local")
            .run("--server.port=0", "--spring.datasource.url=" + database)) {
      assertThat(context.getBean(KeygenProperties.class).secretKey()).hasSize(32);
    }
  }

  @Test
  void refusesToStartWithAnotherKeyThanTheDatabaseWasIssuedUnder() {
    String database = KeygenTestSupport.freshDatabase("key_change");
    KeygenTestSupport.startInstance(database).close();

    assertThatThrownBy(
            () ->
                KeygenTestSupport.startInstance(
                        database, "ferry.keygen.secret-key=" + "ab".repeat(16))
                    .close())
        .rootCause()
        .isInstanceOf(KeyMismatchException.class)
        .asInstanceOf(InstanceOfAssertFactories.THROWABLE)
        .hasMessageContaining("changing it could repeat codes");
  }

  @Test
  void keepsTheSecretKeyOutOfItsTextForm() {
    KeygenProperties properties =
        new KeygenProperties(
            KeygenTestSupport.TEST_KEY,
            "x",
            new KeygenProperties.Range(1000, 0.25),
            new KeygenProperties.Buffer(1000, 10, 100));
    assertThat(properties.toString()).doesNotContain(KeygenTestSupport.TEST_KEY);
  }
}
