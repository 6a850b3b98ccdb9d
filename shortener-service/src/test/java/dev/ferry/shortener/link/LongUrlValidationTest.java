package dev.ferry.shortener.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.shortener.support.Http;
import dev.ferry.shortener.support.ShortenerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LongUrlValidationTest extends ShortenerIntegrationTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "ftp://example.com/file",
        "mailto:someone@example.com",
        "//example.com/no-scheme",
        "example.com",
        "https://",
        "http:///path-only",
        "https://exa mple.com/",
        "https://example.com/\nSet-Cookie:x=1",
        "https://user:pass@bank.example/login",
        "https://bank.example@evil.example/",
        "https://fry.test/abc1234",
        "https://evil.example/",
        "https://sub.evil.example/x",
        "https://example.com/%%%",
        "   "
      })
  void refusesUrlsThatAreNotPlainHttpToAnotherHostAndCreatesNothing(String longUrl) {
    assertLongUrlRefused(longUrl);
  }

  @Test
  void refusesUrlsLongerThan2048Characters() {
    String longUrl = "https://example.com/" + "a".repeat(2049 - "https://example.com/".length());

    Http.Response response = shorten(null, fields("long_url", longUrl));

    assertThat(longUrl).hasSize(2049);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("detail").toString()).contains("2048");
  }

  @Test
  void acceptsAUrlOfExactly2048Characters() {
    String longUrl = "https://example.com/" + "a".repeat(2048 - "https://example.com/".length());

    assertThat(shorten(null, fields("long_url", longUrl)).status()).isEqualTo(201);
  }

  @Test
  void unicodePathsArePercentEncodedSoTheRedirectHeaderIsAscii() {
    String code = shortenUrl(null, "https://example.com/straße/日本?q=ü");

    Http.Response redirect = http.get("/" + code);

    assertThat(redirect.header("Location"))
        .contains("https://example.com/stra%C3%9Fe/%E6%97%A5%E6%9C%AC?q=%C3%BC");
  }
}
