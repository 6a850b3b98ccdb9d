package dev.ferry.notification.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FCM HTTP v1: {@code POST /v1/projects/{project}/messages:send} with {@code {"message": {"token":
 * ...}}}, answering {@code {"name": "projects/{p}/messages/{id}"}} or FCM's error envelope with an
 * {@code FcmError} detail carrying the error code, as the real service does.
 */
public final class FakeFcm extends FakeProviderServer {

  private static final Pattern SEND = Pattern.compile("/v1/projects/([^/]+)/messages:send");
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]*)\"");

  @Override
  protected boolean isSendPath(String path) {
    return SEND.matcher(path).matches();
  }

  @Override
  protected String recipient(HttpExchange exchange, String body) {
    Matcher matcher = TOKEN.matcher(body);
    return matcher.find() ? matcher.group(1) : null;
  }

  @Override
  protected Answer success(String recipient, String body) {
    return new Answer(
        200, Map.of(), "{\"name\": \"projects/ferry-test/messages/" + UUID.randomUUID() + "\"}");
  }

  /** 404 UNREGISTERED: the app was uninstalled or the token expired. */
  public static Answer unregistered() {
    return error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.", Map.of());
  }

  /** 400 INVALID_ARGUMENT for a malformed token. */
  public static Answer invalidToken() {
    return error(
        400,
        "INVALID_ARGUMENT",
        "INVALID_ARGUMENT",
        "The registration token is not a valid FCM registration token",
        Map.of());
  }

  /** 429 QUOTA_EXCEEDED with a Retry-After in seconds. */
  public static Answer quotaExceeded(int retryAfterSeconds) {
    return error(
        429,
        "RESOURCE_EXHAUSTED",
        "QUOTA_EXCEEDED",
        "Quota exceeded for quota metric 'Send requests'",
        Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
  }

  /** 503 UNAVAILABLE (the SDK retries these itself; Retry-After 0 keeps tests fast). */
  public static Answer unavailable() {
    return error(
        503,
        "UNAVAILABLE",
        "UNAVAILABLE",
        "The service is unavailable.",
        Map.of("Retry-After", "0"));
  }

  private static Answer error(
      int status, String grpcStatus, String fcmCode, String message, Map<String, String> headers) {
    return new Answer(
        status,
        headers,
        """
        {"error": {"code": %d, "message": "%s", "status": "%s", "details": [
          {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "%s"}]}}
        """
            .formatted(status, message, grpcStatus, fcmCode));
  }
}
