package dev.ferry.shortener.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserAgentClassifierTest {

  private static final UserAgentClassifier CLASSIFIER = new UserAgentClassifier();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)|true|bot",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)|true|bot",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
            + " Gecko) Version/17.1 Mobile/15E148 Safari/604.1|false|mobile",
        "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
            + " Version/17.1 Mobile/15E148 Safari/604.1|false|tablet",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36|false|desktop"
      })
  void classifiesCrawlersApartAndHumansByDeviceClass(String userAgent, boolean bot, String device) {
    UserAgentClassifier.Agent agent = CLASSIFIER.classify(userAgent);

    assertThat(agent.bot()).isEqualTo(bot);
    assertThat(agent.device()).isEqualTo(device);
  }

  @ParameterizedTest
  @CsvSource({"''", "'   '"})
  void missingUserAgentIsAnUnknownHuman(String userAgent) {
    UserAgentClassifier.Agent agent = CLASSIFIER.classify(userAgent);

    assertThat(agent.bot()).isFalse();
    assertThat(agent.device()).isEqualTo("unknown");
  }

  @ParameterizedTest
  @CsvSource({
    "https://news.example/item?id=1, news.example",
    "https://WWW.Example.COM, www.example.com",
    "'', direct",
    "not a url at all, unknown",
    "android-app://com.slack, com.slack"
  })
  void referrerIsReducedToItsHost(String referrer, String host) {
    assertThat(RollupWriter.referrerHost(referrer)).isEqualTo(host);
  }
}
