package dev.ferry.broker.network;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * Turns a Kafka {@link Send} (built by kafka-clients' {@code SendBuilder}, size prefix included)
 * into the Netty messages that write it: heap and direct buffers wrapped without copying, and a
 * {@link SegmentFileRegion} for every file range, which is how a Fetch response's {@code
 * FileRecords} reach the socket by {@code transferTo} instead of through the heap.
 *
 * <p>It poses as the {@link TransferableChannel} the send writes to, accepting everything at once;
 * the real writing, with its partial writes and back-pressure, is Netty's.
 *
 * <p>Not thread-safe: one instance per response, on one thread.
 */
final class NettyOutbound implements TransferableChannel {

  private final List<Object> messages = new ArrayList<>();

  private NettyOutbound() {}

  /** The messages that write {@code send}, in order. */
  static List<Object> messages(Send send) throws IOException {
    NettyOutbound outbound = new NettyOutbound();
    while (!send.completed()) {
      send.writeTo(outbound);
    }
    return outbound.messages;
  }

  @Override
  public long transferFrom(FileChannel fileChannel, long position, long count) {
    messages.add(new SegmentFileRegion(fileChannel, position, count));
    return count;
  }

  @Override
  public int write(ByteBuffer source) {
    int bytes = source.remaining();
    if (bytes > 0) {
      // The send's buffers are built for this response alone, so they can be wrapped, not copied.
      messages.add(Unpooled.wrappedBuffer(source.slice()));
      source.position(source.limit());
    }
    return bytes;
  }

  @Override
  public long write(ByteBuffer[] sources, int offset, int length) {
    long bytes = 0;
    for (int i = offset; i < offset + length; i++) {
      bytes += write(sources[i]);
    }
    return bytes;
  }

  @Override
  public long write(ByteBuffer[] sources) {
    return write(sources, 0, sources.length);
  }

  @Override
  public boolean hasPendingWrites() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
