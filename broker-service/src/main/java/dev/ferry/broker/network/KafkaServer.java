package dev.ferry.broker.network;

import dev.ferry.broker.protocol.AdvertisedEndpoint;
import dev.ferry.broker.protocol.RequestDispatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Kafka protocol listener: a non-blocking Netty server whose pipeline frames requests by their
 * 4-byte size prefix and hands them to a {@link KafkaConnectionHandler}.
 *
 * <p>A frame larger than {@code max-request-bytes} fails fast (before it is buffered) and closes
 * the connection, like Kafka's {@code socket.request.max.bytes}, so a bad size prefix cannot cost
 * more than one connection. Event-loop threads only frame and write; request handling runs on the
 * request executor, so an fsync never stalls other connections.
 *
 * <p>Thread-safety: started and stopped by the Spring lifecycle, once.
 */
public final class KafkaServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(KafkaServer.class);

  private final int port;
  private final int maxRequestBytes;
  private final RequestDispatcher dispatcher;
  private final AdvertisedEndpoint endpoint;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private Channel serverChannel;

  public KafkaServer(
      int port,
      int maxRequestBytes,
      RequestDispatcher dispatcher,
      AdvertisedEndpoint endpoint,
      MeterRegistry meterRegistry) {
    this.port = port;
    this.maxRequestBytes = maxRequestBytes;
    this.dispatcher = dispatcher;
    this.endpoint = endpoint;
    this.bytesIn = meterRegistry.counter("ferry.broker.network.bytes", "direction", "in");
    this.bytesOut = meterRegistry.counter("ferry.broker.network.bytes", "direction", "out");
  }

  @Override
  public void start() {
    bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workerGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 128)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new LengthFieldBasedFrameDecoder(maxRequestBytes, 0, 4, 0, 4))
                        .addLast(new KafkaConnectionHandler(dispatcher, bytesIn, bytesOut));
                  }
                });
    try {
      serverChannel = bootstrap.bind(port).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while binding port " + port, e);
    }
    int boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    endpoint.bound(boundPort);
    log.info(
        "Kafka protocol listening on port {}, advertised as {}:{}, max request {} bytes",
        boundPort,
        endpoint.host(),
        boundPort,
        maxRequestBytes);
  }

  @Override
  public void stop() {
    if (serverChannel != null) {
      // Bounded waits: a shutdown must finish (and the logs get closed cleanly) even if an event
      // loop does not report its termination in time.
      serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      bossGroup
          .shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
      workerGroup
          .shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
      serverChannel = null;
    }
  }

  @Override
  public boolean isRunning() {
    return serverChannel != null;
  }

  /** The bound port; useful when configured as 0. */
  public int port() {
    return endpoint.port();
  }
}
