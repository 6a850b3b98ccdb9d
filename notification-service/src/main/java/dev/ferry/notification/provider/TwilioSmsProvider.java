package dev.ferry.notification.provider;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import dev.ferry.notification.NotificationProperties.ProviderInstance;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * SMS through the Twilio Java SDK (Messages API). The SDK always builds {@code
 * https://api.twilio.com/...}; with {@code base-url} set, {@link RedirectingHttpClient} copies each
 * request onto that base so that tests and the local stack talk to a fake.
 *
 * <p>Twilio's own client makes up to three calls per send on a 5xx, 100 ms apart, before it reports
 * the failure. Error codes: 21211 (invalid To), 21614 (not a mobile number) and 21610 (recipient
 * unsubscribed) are dead recipients; 429 / 20429 are rate limits; 5xx and connection failures are
 * outages. Thread-safe: the SDK's rest client is.
 */
final class TwilioSmsProvider implements NotificationProvider {

  private static final Set<Integer> DEAD_RECIPIENT = Set.of(21211, 21614, 21610, 21408, 21612);

  private final String name;
  private final TwilioRestClient client;
  private final String accountSid;
  private final PhoneNumber from;
  private final String statusCallback;

  TwilioSmsProvider(String name, ProviderInstance config, String statusCallback) {
    this.name = name;
    this.accountSid = config.accountSid();
    this.from = new PhoneNumber(config.from());
    this.statusCallback = statusCallback;
    HttpClientBuilder httpClient = httpClient(Timeout.ofMilliseconds(config.timeout().toMillis()));
    NetworkHttpClient http =
        config.baseUrl().isBlank()
            ? new NetworkHttpClient(httpClient)
            : new RedirectingHttpClient(httpClient, config.baseUrl().replaceAll("/+$", ""));
    this.client =
        new TwilioRestClient.Builder(config.accountSid(), config.authToken())
            .httpClient(http)
            .build();
  }

  /**
   * The SDK's Apache client, with pooled connections checked before reuse once idle for a second
   * and evicted after 30 s idle. A server may close a keep-alive connection it considers idle (the
   * fake does after 30 s, as real load balancers do); without the check the next send meets "failed
   * to respond" on the dead socket and is counted as a provider outage, failing over for nothing.
   */
  private static HttpClientBuilder httpClient(Timeout timeout) {
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build())
                .build())
        .evictIdleConnections(TimeValue.ofSeconds(30))
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setResponseTimeout(timeout)
                .build());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderResult send(OutboundMessage message) {
    MessageCreator creator =
        Message.creator(accountSid, new PhoneNumber(message.recipient()), from, message.body());
    if (statusCallback != null) {
      creator.setStatusCallback(URI.create(statusCallback));
    }
    try {
      Message sent = creator.create(client);
      return new ProviderResult.Sent(name, sent.getSid());
    } catch (ApiException e) {
      Integer status = e.getStatusCode();
      Integer code = e.getCode();
      String error =
          "twilio " + status + (code != null ? " code " + code : "") + ": " + e.getMessage();
      if (code != null && DEAD_RECIPIENT.contains(code)) {
        return ProviderResult.Failed.of(name, FailureKind.INVALID_RECIPIENT, error);
      }
      if ((status != null && status == 429) || (code != null && code == 20429)) {
        return ProviderResult.Failed.of(name, FailureKind.RATE_LIMITED, error);
      }
      if (status == null || status >= 500) {
        return ProviderResult.Failed.of(name, FailureKind.UNAVAILABLE, error);
      }
      return ProviderResult.Failed.of(name, FailureKind.REJECTED, error);
    } catch (ApiConnectionException e) {
      return ProviderResult.Failed.of(name, FailureKind.UNAVAILABLE, "twilio: " + e.getMessage());
    } catch (RuntimeException e) {
      return ProviderResult.Failed.of(name, FailureKind.UNAVAILABLE, "twilio: " + e);
    }
  }

  /** Sends each request the SDK built to the same path under another base URL. */
  private static final class RedirectingHttpClient extends NetworkHttpClient {

    private final String base;

    RedirectingHttpClient(HttpClientBuilder httpClient, String base) {
      super(httpClient);
      this.base = base;
    }

    @Override
    public Response makeRequest(Request request) {
      URI original = URI.create(request.getUrl());
      Request copy = new Request(request.getMethod(), base + original.getRawPath());
      if (request.getAuthStrategy() != null) {
        copy.setAuth(request.getAuthStrategy());
      } else if (request.getUsername() != null) {
        copy.setAuth(request.getUsername(), request.getPassword());
      }
      copy(request.getQueryParams(), copy::addQueryParam);
      copy(request.getPostParams(), copy::addPostParam);
      copy(request.getHeaderParams(), copy::addHeaderParam);
      if (request.getContentType() != null) {
        copy.setContentType(request.getContentType());
      }
      if (request.getBody() != null) {
        copy.setBody(request.getBody());
      }
      return super.makeRequest(copy);
    }

    private static void copy(
        Map<String, List<String>> params, java.util.function.BiConsumer<String, String> add) {
      params.forEach((key, values) -> values.forEach(value -> add.accept(key, value)));
    }
  }
}
