package dev.ferry.notification.provider;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import dev.ferry.notification.NotificationProperties.ProviderInstance;
import dev.ferry.notification.Priority;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.util.Date;

/**
 * Push through the Firebase Admin SDK (FCM HTTP v1). The SDK has no endpoint setting, so when
 * {@code base-url} is set its transport rewrites {@code https://fcm.googleapis.com} to that URL;
 * with {@code access-token} it uses a fixed bearer token that needs no OAuth exchange (for fakes),
 * otherwise service-account credentials from {@code credentials-file}.
 *
 * <p>Error mapping follows FCM's documented codes: UNREGISTERED, INVALID_ARGUMENT (an invalid
 * registration token) and SENDER_ID_MISMATCH mean the token is dead; QUOTA_EXCEEDED is a rate
 * limit; UNAVAILABLE and INTERNAL are outages; THIRD_PARTY_AUTH_ERROR is a credentials problem. The
 * SDK retries 503 itself a few times before reporting it. Thread-safe.
 */
final class FcmPushProvider implements NotificationProvider, AutoCloseable {

  private static final String FCM_ORIGIN = "https://fcm.googleapis.com";

  private final String name;
  private final FirebaseApp app;
  private final FirebaseMessaging messaging;
  private final Clock clock;

  FcmPushProvider(String name, ProviderInstance config, Clock clock) {
    this.name = name;
    this.clock = clock;
    FirebaseOptions.Builder options =
        FirebaseOptions.builder()
            .setProjectId(config.projectId())
            .setCredentials(credentials(config))
            .setConnectTimeout((int) config.timeout().toMillis())
            .setReadTimeout((int) config.timeout().toMillis());
    if (!config.baseUrl().isBlank()) {
      String base = config.baseUrl().replaceAll("/+$", "");
      options.setHttpTransport(
          new NetHttpTransport.Builder()
              .setConnectionFactory(url -> open(rewrite(url, base)))
              .build());
    }
    this.app =
        FirebaseApp.initializeApp(options.build(), "ferry-" + name + "-" + System.nanoTime());
    this.messaging = FirebaseMessaging.getInstance(app);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderResult send(OutboundMessage message) {
    boolean urgent = message.priority() == Priority.CRITICAL || message.priority() == Priority.HIGH;
    Message fcm =
        Message.builder()
            .setToken(message.recipient())
            .setNotification(
                Notification.builder().setTitle(message.title()).setBody(message.body()).build())
            .putAllData(message.data())
            .setAndroidConfig(
                AndroidConfig.builder()
                    .setPriority(
                        urgent ? AndroidConfig.Priority.HIGH : AndroidConfig.Priority.NORMAL)
                    .build())
            .setApnsConfig(
                ApnsConfig.builder().setAps(Aps.builder().setSound("default").build()).build())
            .build();
    try {
      return new ProviderResult.Sent(name, messaging.send(fcm));
    } catch (FirebaseMessagingException e) {
      return failure(e);
    } catch (RuntimeException e) {
      return ProviderResult.Failed.of(name, FailureKind.UNAVAILABLE, "fcm: " + e);
    }
  }

  private ProviderResult failure(FirebaseMessagingException e) {
    MessagingErrorCode code = e.getMessagingErrorCode();
    IncomingHttpResponse response = e.getHttpResponse();
    int status = response == null ? 0 : response.getStatusCode();
    String error =
        "fcm " + (code != null ? code.name() : e.getErrorCode().name()) + ": " + e.getMessage();
    if (code == MessagingErrorCode.UNREGISTERED
        || code == MessagingErrorCode.SENDER_ID_MISMATCH
        || (code == MessagingErrorCode.INVALID_ARGUMENT && mentionsToken(e))) {
      return ProviderResult.Failed.of(name, FailureKind.INVALID_RECIPIENT, error);
    }
    if (code == MessagingErrorCode.QUOTA_EXCEEDED || status == 429) {
      Object retryAfter = response == null ? null : response.getHeaders().get("retry-after");
      return new ProviderResult.Failed(
          name, FailureKind.RATE_LIMITED, error, RetryAfter.parse(retryAfter, clock));
    }
    if (code == MessagingErrorCode.UNAVAILABLE
        || code == MessagingErrorCode.INTERNAL
        || status >= 500
        || response == null) {
      return ProviderResult.Failed.of(name, FailureKind.UNAVAILABLE, error);
    }
    return ProviderResult.Failed.of(name, FailureKind.REJECTED, error);
  }

  /**
   * FCM answers INVALID_ARGUMENT both for a bad token and for a bad message; only the first kills.
   */
  private static boolean mentionsToken(FirebaseMessagingException e) {
    String text = String.valueOf(e.getMessage()).toLowerCase();
    return text.contains("registration token");
  }

  @Override
  public void close() {
    app.delete();
  }

  private static GoogleCredentials credentials(ProviderInstance config) {
    if (!config.accessToken().isBlank()) {
      // A fixed token with a far expiry: the SDK never tries to refresh it against Google.
      return GoogleCredentials.create(
          new AccessToken(config.accessToken(), new Date(Long.MAX_VALUE / 2)));
    }
    if (config.credentialsFile().isBlank()) {
      throw new IllegalStateException(
          "FCM needs access-token or credentials-file (a service-account JSON)");
    }
    try (InputStream in = new FileInputStream(config.credentialsFile())) {
      return GoogleCredentials.fromStream(in)
          .createScoped("https://www.googleapis.com/auth/firebase.messaging");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read FCM credentials " + config.credentialsFile(), e);
    }
  }

  private static URL rewrite(URL url, String base) throws IOException {
    String text = url.toString();
    if (!text.startsWith(FCM_ORIGIN)) {
      return url;
    }
    return URI.create(base + text.substring(FCM_ORIGIN.length())).toURL();
  }

  private static HttpURLConnection open(URL url) throws IOException {
    return (HttpURLConnection) url.openConnection();
  }
}
