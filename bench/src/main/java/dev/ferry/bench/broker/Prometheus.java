package dev.ferry.bench.broker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads broker-service's {@code /actuator/prometheus} into samples keyed by series. */
final class Prometheus {

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private Prometheus() {}

  /** Every sample, keyed by its series as printed ({@code name{label="value",...}}). */
  static Map<String, Double> scrape(int httpPort) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/actuator/prometheus"))
            .build();
    String body =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Double> samples = new HashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** The metric name of a series key. */
  static String name(String series) {
    int brace = series.indexOf('{');
    return brace < 0 ? series : series.substring(0, brace);
  }

  /** The labels of a series key. */
  static Map<String, String> labels(String series) {
    Map<String, String> labels = new HashMap<>();
    Matcher matcher = LABEL.matcher(series);
    while (matcher.find()) {
      labels.put(matcher.group(1), matcher.group(2));
    }
    return labels;
  }
}
