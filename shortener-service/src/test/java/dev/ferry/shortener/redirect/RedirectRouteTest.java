package dev.ferry.shortener.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedirectRouteTest {

  @ParameterizedTest
  @CsvSource({
    "/abc1234, /abc1234",
    "/abc1234?utm=x, /abc1234",
    "/abc1234#top, /abc1234",
    "/abc1234?next=/a#b, /abc1234",
    "/?x, /",
    "http://host/abc1234, http://host/abc1234"
  })
  void thePathOfARequestTargetEndsBeforeItsQueryOrFragment(String uri, String path) {
    assertThat(RedirectRoute.path(uri)).isEqualTo(path);
  }
}
