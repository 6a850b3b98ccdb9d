package dev.ferry.broker.network;

import dev.ferry.broker.protocol.RequestDispatcher;
import dev.ferry.broker.protocol.RequestTimes;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.network.Send;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: hands each request frame to the {@link RequestDispatcher}, and writes the
 * responses back in request order through a {@link ResponseSequencer}, each as the Netty messages
 * of its {@link Send} (see {@link NettyOutbound}), so fetched records go file to socket.
 *
 * <p>Requests of one connection are handled one after the other, as Kafka does by muting a
 * connection until its response is sent: a producer pipelines up to five produce requests and their
 * sequence numbers only make sense if they are appended in the order sent. Pipelined requests queue
 * meanwhile; other connections are unaffected. The one refinement: a produce request counts as
 * handled once appended, not once fsynced, so the next one can share its group commit (see {@link
 * RequestDispatcher}); responses are still written in request order. A long-poll fetch therefore
 * delays the requests behind it on the same connection, which Kafka clients expect (they use a
 * separate connection to the group coordinator).
 *
 * <p>Back-pressure: with {@value #MAX_IN_FLIGHT} requests unanswered the connection stops reading
 * until half of them are answered, so a client pipelining without limit cannot grow the broker's
 * memory without bound.
 *
 * <p>Thread-safety: one instance per connection; all state is touched on the connection's event
 * loop only: handler completions hop back to it before touching the sequencer.
 */
final class KafkaConnectionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(KafkaConnectionHandler.class);
  static final int MAX_IN_FLIGHT = 64;

  private final RequestDispatcher dispatcher;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final ResponseSequencer<Outgoing> sequencer = new ResponseSequencer<>();
  // Completes when the previous request of this connection has been handled.
  private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

  KafkaConnectionHandler(RequestDispatcher dispatcher, Counter bytesIn, Counter bytesOut) {
    this.dispatcher = dispatcher;
    this.bytesIn = bytesIn;
    this.bytesOut = bytesOut;
  }

  /** A response ready to go, with the times to record once it is written. */
  private record Outgoing(Send send, RequestTimes times) {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long receivedNanos = System.nanoTime();
    ByteBuf frame = (ByteBuf) msg;
    ByteBuffer request;
    try {
      // A heap copy the request objects may keep referring to after the frame is released.
      request = ByteBuffer.allocate(frame.readableBytes());
      frame.readBytes(request);
      request.flip();
    } finally {
      frame.release();
    }
    bytesIn.increment(request.remaining() + 4);
    long sequence = sequencer.register();
    if (sequencer.inFlight() >= MAX_IN_FLIGHT) {
      ctx.channel().config().setAutoRead(false);
    }
    String clientHost = clientHost(ctx);
    CompletableFuture<RequestDispatcher.Dispatched> dispatched =
        previous.thenApply(ignored -> dispatcher.dispatch(request, clientHost, receivedNanos));
    previous = dispatched.thenCompose(RequestDispatcher.Dispatched::handled);
    dispatched
        .thenCompose(
            handled ->
                handled.response().thenApply(response -> outgoing(response, handled.times())))
        .whenComplete(
            (response, failure) ->
                ctx.executor().execute(() -> onResponse(ctx, sequence, response, failure)));
  }

  /** A request that takes no response is done once its (empty) response is ready. */
  private static Optional<Outgoing> outgoing(Optional<Send> response, RequestTimes times) {
    if (response.isEmpty()) {
      times.written();
    }
    return response.map(send -> new Outgoing(send, times));
  }

  private void onResponse(
      ChannelHandlerContext ctx, long sequence, Optional<Outgoing> response, Throwable failure) {
    if (failure != null) {
      log.warn("Closing connection from {}: {}", clientHost(ctx), failure.getMessage());
      ctx.close();
      return;
    }
    if (!ctx.channel().isActive()) {
      return;
    }
    List<Outgoing> ready = sequencer.complete(sequence, response);
    for (Outgoing outgoing : ready) {
      try {
        for (Object message : NettyOutbound.messages(outgoing.send())) {
          ctx.write(message);
        }
      } catch (IOException e) {
        log.warn("Closing connection from {}: {}", clientHost(ctx), e.toString());
        ctx.close();
        return;
      }
      bytesOut.increment(outgoing.send().size());
    }
    ctx.flush();
    ready.forEach(outgoing -> outgoing.times().written());
    if (!ctx.channel().config().isAutoRead() && sequencer.inFlight() <= MAX_IN_FLIGHT / 2) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Oversized or negative frame sizes land here (TooLongFrameException, CorruptedFrameException):
    // the stream can no longer be framed, so the only safe answer is to close it.
    log.warn("Closing connection from {}: {}", clientHost(ctx), cause.toString());
    ctx.close();
  }

  private static String clientHost(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress address
        ? "/" + address.getAddress().getHostAddress()
        : String.valueOf(ctx.channel().remoteAddress());
  }
}
