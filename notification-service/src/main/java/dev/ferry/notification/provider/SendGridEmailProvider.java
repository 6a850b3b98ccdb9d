package dev.ferry.notification.provider;

import com.sendgrid.Client;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.Personalization;
import dev.ferry.notification.NotificationProperties.ProviderInstance;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

/**
 * Email through sendgrid-java (v3 mail send). {@code base-url} {@code http://host:port} points the
 * SDK at a fake: plain-HTTP "test" mode plus {@code setHost}. The SDK's own client turns every
 * status of 300 and above into an {@code IOException} carrying only the body, which would lose the
 * status and the rate-limit headers; {@link StatusKeepingClient} keeps the SDK's request building
 * and response parsing but returns error responses, so 429 and 5xx can be told apart.
 *
 * <p>Thread-safe: the SDK client is used only through its thread-safe Apache HTTP client.
 */
final class SendGridEmailProvider implements NotificationProvider {

  private final String name;
  private final SendGrid sendGrid;
  private final Email from;
  private final Clock clock;

  SendGridEmailProvider(String name, ProviderInstance config, Clock clock) {
    this.name = name;
    this.clock = clock;
    this.from = new Email(config.from());
    int timeout = (int) config.timeout().toMillis();
    CloseableHttpClient http =
        HttpClients.custom()
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setConnectTimeout(timeout)
                    .setSocketTimeout(timeout)
                    .setConnectionRequestTimeout(timeout)
                    .build())
            .setMaxConnTotal(50)
            .setMaxConnPerRoute(50)
            .build();
    if (config.baseUrl().isBlank()) {
      this.sendGrid = new SendGrid(config.apiKey(), new StatusKeepingClient(http, false));
    } else {
      URI base = URI.create(config.baseUrl());
      boolean plainHttp = "http".equals(base.getScheme());
      this.sendGrid = new SendGrid(config.apiKey(), new StatusKeepingClient(http, plainHttp));
      this.sendGrid.setHost(base.getAuthority());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderResult send(OutboundMessage message) {
    Mail mail = new Mail();
    mail.setFrom(from);
    mail.setSubject(message.subject() != null ? message.subject() : message.title());
    Personalization personalization = new Personalization();
    personalization.addTo(new Email(message.recipient()));
    personalization.addCustomArg("delivery_id", message.deliveryId().toString());
    mail.addPersonalization(personalization);
    mail.addContent(new Content("text/html", message.body()));
    Request request = new Request();
    request.setMethod(Method.POST);
    request.setEndpoint("mail/send");
    Response response;
    try {
      request.setBody(mail.build());
      response = sendGrid.api(request);
    } catch (IOException | RuntimeException e) {
      return ProviderResult.Failed.of(name, FailureKind.UNAVAILABLE, "sendgrid: " + e);
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(response.getHeaders());
    int status = response.getStatusCode();
    String error = "sendgrid " + status + ": " + response.getBody();
    if (status >= 200 && status < 300) {
      return new ProviderResult.Sent(name, headers.getOrDefault("X-Message-Id", ""));
    }
    if (status == 429) {
      return new ProviderResult.Failed(name, FailureKind.RATE_LIMITED, error, resetDelay(headers));
    }
    if (status >= 500) {
      return ProviderResult.Failed.of(name, FailureKind.UNAVAILABLE, error);
    }
    return ProviderResult.Failed.of(name, FailureKind.REJECTED, error);
  }

  /** SendGrid's 429 says when the window resets (epoch seconds) rather than sending Retry-After. */
  private java.time.Duration resetDelay(Map<String, String> headers) {
    java.time.Duration retryAfter = RetryAfter.parse(headers.get("Retry-After"), clock);
    if (retryAfter != null) {
      return retryAfter;
    }
    String reset = headers.get("X-RateLimit-Reset");
    if (reset == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(reset.trim()) - clock.instant().getEpochSecond();
      return java.time.Duration.ofSeconds(Math.max(0, seconds));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The SDK's client without its throw-on-error-status behaviour. */
  private static final class StatusKeepingClient extends Client {

    private final CloseableHttpClient http;

    StatusKeepingClient(CloseableHttpClient http, boolean plainHttp) {
      super(http, plainHttp);
      this.http = http;
    }

    @Override
    public Response api(Request request) throws IOException {
      HttpPost post;
      try {
        post =
            new HttpPost(
                buildUri(request.getBaseUri(), request.getEndpoint(), request.getQueryParams()));
      } catch (URISyntaxException e) {
        throw new IOException("bad SendGrid URI", e);
      }
      request.getHeaders().forEach(post::setHeader);
      post.setEntity(new StringEntity(request.getBody(), ContentType.APPLICATION_JSON));
      try (CloseableHttpResponse response = http.execute(post)) {
        return getResponse(response);
      }
    }
  }
}
