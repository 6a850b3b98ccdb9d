package dev.ferry.broker.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Handles one Kafka API. Runs on a request-handler thread, never on a network thread, so it may
 * block on disk; it completes the future later when it must wait (long-poll fetch, rebalance). A
 * {@code null} result means "send no response" (Produce with {@code acks=0}). A thrown or failed
 * exception is turned into the request's error response by the dispatcher.
 */
@FunctionalInterface
interface ApiHandler {

  CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request)
      throws Exception;
}
