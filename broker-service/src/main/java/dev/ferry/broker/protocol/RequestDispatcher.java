package dev.ferry.broker.protocol;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request frame into one response frame: parses the header and body with kafka-clients'
 * own classes, checks the version against {@link SupportedApis}, runs the API's {@link ApiHandler}
 * on the request-handler executor and serialises the result with the response header version the
 * request header implies, as a size-prefixed kafka-clients {@link Send} built by {@link
 * SendBuilder}: file-backed records in a Fetch response stay references to the segment file rather
 * than being copied into the frame, so the network layer can send them with {@code transferTo}.
 *
 * <p>Error contract: a supported request that fails gets its API's error response (the exception
 * mapped by {@link Errors#forException}); an API or version this broker does not implement gets
 * {@code UNSUPPORTED_VERSION}, and ApiVersions at an unknown version gets a v0 answer listing the
 * supported ranges, as KIP-511 asks. Only a frame whose header or body kafka-clients cannot parse
 * fails the future, upon which the connection is closed, as Kafka does: there is no way to frame an
 * answer to it.
 *
 * <p>Ordering: requests of one connection are handled one at a time, and a request counts as
 * handled when its response is ready, except for the APIs in {@link #RELEASED_ON_RETURN}: for those
 * it counts as handled when the handler returns, before its future completes. Produce is one: its
 * handler appends before returning and its future waits only for the group-commit fsync, so the
 * next pipelined produce request of the same producer is appended (in order) and joins that fsync
 * instead of waiting for it. Responses still leave in request order (the connection's sequencer).
 *
 * <p>Thread-safety: stateless apart from the handler map; safe for concurrent use.
 */
public final class RequestDispatcher {

  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  /** APIs whose handler has done all its order-sensitive work when it returns. */
  private static final EnumSet<ApiKeys> RELEASED_ON_RETURN = EnumSet.of(ApiKeys.PRODUCE);

  private static final String REQUESTS_TIMER = "ferry.broker.requests";

  private final Map<ApiKeys, ApiHandler> handlers;
  private final Executor requestExecutor;
  private final MeterRegistry meterRegistry;
  private final RequestTimes.Timers stageTimers;

  RequestDispatcher(
      Map<ApiKeys, ApiHandler> handlers, Executor requestExecutor, MeterRegistry meterRegistry) {
    this.handlers = Map.copyOf(handlers);
    this.requestExecutor = requestExecutor;
    this.meterRegistry = meterRegistry;
    this.stageTimers = new RequestTimes.Timers(meterRegistry);
  }

  /**
   * The two moments of one request.
   *
   * @param handled completes (never exceptionally) when the connection may start its next request
   * @param response the response frame, empty when the request takes none; failed when unparseable
   * @param times the request's stage times, to be recorded once the response is written
   */
  public record Dispatched(
      CompletableFuture<Void> handled,
      CompletableFuture<Optional<Send>> response,
      RequestTimes times) {

    static Dispatched of(CompletableFuture<Optional<Send>> response) {
      return new Dispatched(
          response.handle((ignored, failure) -> null), response, RequestTimes.untimed());
    }
  }

  /**
   * Handles one frame (without its size prefix).
   *
   * @param receivedNanos when the frame arrived ({@link System#nanoTime()}), the start of its queue
   *     time
   */
  public Dispatched dispatch(ByteBuffer frame, String clientHost, long receivedNanos) {
    RequestHeader header;
    AbstractRequest request;
    try {
      header = RequestHeader.parse(frame);
      if (header.apiKey() == ApiKeys.API_VERSIONS
          && !SupportedApis.isSupported(ApiKeys.API_VERSIONS, header.apiVersion())) {
        return Dispatched.of(
            CompletableFuture.completedFuture(Optional.of(unsupportedApiVersions(header))));
      }
      request =
          AbstractRequest.parseRequest(
                  header.apiKey(), header.apiVersion(), new ByteBufferAccessor(frame))
              .request;
    } catch (RuntimeException e) {
      return Dispatched.of(
          CompletableFuture.failedFuture(
              new InvalidRequestException("Cannot parse request: " + e.getMessage(), e)));
    }
    ApiKeys api = header.apiKey();
    short version = header.apiVersion();
    ApiHandler handler = SupportedApis.isSupported(api, version) ? handlers.get(api) : null;
    if (handler == null) {
      ApiMessage error =
          request
              .getErrorResponse(
                  new UnsupportedVersionException(api + " v" + version + " is not supported"))
              .data();
      return Dispatched.of(
          CompletableFuture.completedFuture(Optional.of(serialize(header, error))));
    }
    RequestContext context = new RequestContext(header, clientHost);
    Timer.Sample sample = Timer.start(meterRegistry);
    RequestTimes times = stageTimers.start(api, receivedNanos);
    CompletableFuture<CompletableFuture<ApiMessage>> invoked =
        CompletableFuture.supplyAsync(
            () -> {
              times.started();
              CompletableFuture<ApiMessage> result = invoke(handler, context, request);
              times.returned();
              return result;
            },
            requestExecutor);
    CompletableFuture<Optional<Send>> response =
        invoked
            .thenCompose(future -> future)
            .handle(
                (result, failure) -> {
                  times.completed();
                  ApiMessage message = result;
                  String outcome = "none";
                  if (failure != null) {
                    Throwable cause = unwrap(failure);
                    if (!(cause instanceof ApiException)) {
                      log.error("{} from {} failed", api, context.clientId(), cause);
                    }
                    outcome = Errors.forException(cause).name();
                    message = request.getErrorResponse(cause).data();
                  }
                  sample.stop(requestTimer(api, outcome));
                  return message == null
                      ? Optional.<Send>empty()
                      : Optional.of(serializeOrFail(header, request, message));
                });
    if (RELEASED_ON_RETURN.contains(api)) {
      return new Dispatched(invoked.handle((ignored, failure) -> null), response, times);
    }
    return new Dispatched(response.handle((ignored, failure) -> null), response, times);
  }

  /**
   * The request timer of one API and outcome. It publishes a percentile histogram (Prometheus
   * {@code ferry_broker_requests_seconds_bucket}) so dashboards can aggregate p99 per API across
   * outcomes and instances, which client-side percentiles cannot. The bucket range spans a 100 µs
   * produce to a JoinGroup that waits out a long rebalance.
   */
  private Timer requestTimer(ApiKeys api, String outcome) {
    return Timer.builder(REQUESTS_TIMER)
        .description("Kafka requests by API and request-level error, from parse to response")
        .tags("api", api.name, "error", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(meterRegistry);
  }

  private static CompletableFuture<ApiMessage> invoke(
      ApiHandler handler, RequestContext context, AbstractRequest request) {
    try {
      return handler.handle(context, request);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Serialises a response; if a handler filled a field the requested version lacks (a bug), the
   * client still gets an error response rather than a closed connection.
   */
  private static Send serializeOrFail(
      RequestHeader header, AbstractRequest request, ApiMessage message) {
    try {
      return serialize(header, message);
    } catch (RuntimeException e) {
      log.error("Cannot write {} v{} response", header.apiKey(), header.apiVersion(), e);
      return serialize(header, request.getErrorResponse(e).data());
    }
  }

  private static Send serialize(RequestHeader header, ApiMessage message) {
    return SendBuilder.buildResponseSend(header.toResponseHeader(), message, header.apiVersion());
  }

  private static Send unsupportedApiVersions(RequestHeader header) {
    ApiVersionsResponseData data =
        new ApiVersionsResponseData()
            .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
            .setApiKeys(SupportedApis.apiVersions());
    return SendBuilder.buildResponseSend(
        new ResponseHeader(header.correlationId(), (short) 0), data, (short) 0);
  }
}
