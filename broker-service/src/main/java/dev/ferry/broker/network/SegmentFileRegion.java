package dev.ferry.broker.network;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A range of a segment file written to a socket with {@link FileChannel#transferTo}, so fetched
 * records go from the page cache to the socket without passing through the heap.
 *
 * <p>Unlike Netty's {@code DefaultFileRegion}, releasing it does not close the channel: the channel
 * belongs to the log segment, which outlives the response (a segment deleted by retention is closed
 * only one retention pass later, see {@code PartitionLog}).
 *
 * <p>Not thread-safe: written by its connection's event loop only.
 */
final class SegmentFileRegion extends AbstractReferenceCounted implements FileRegion {

  private final FileChannel file;
  private final long position;
  private final long count;
  private long transferred;

  SegmentFileRegion(FileChannel file, long position, long count) {
    if (position < 0 || count < 0) {
      throw new IllegalArgumentException("position " + position + ", count " + count);
    }
    this.file = file;
    this.position = position;
    this.count = count;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public long transferred() {
    return transferred;
  }

  @Override
  @Deprecated
  public long transfered() {
    return transferred;
  }

  /**
   * Transfers what the socket takes, from {@code position} bytes into this region on.
   *
   * @throws IOException when the file ends before the region does (it was truncated)
   */
  @Override
  public long transferTo(WritableByteChannel target, long position) throws IOException {
    long remaining = count - position;
    if (remaining <= 0) {
      return 0;
    }
    long written = file.transferTo(this.position + position, remaining, target);
    if (written == 0 && file.size() < this.position + count) {
      throw new IOException("segment file shorter than the region being sent");
    }
    transferred += written;
    return written;
  }

  @Override
  protected void deallocate() {
    // The segment owns the channel and closes it.
  }

  @Override
  public FileRegion retain() {
    super.retain();
    return this;
  }

  @Override
  public FileRegion retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public FileRegion touch() {
    return this;
  }

  @Override
  public FileRegion touch(Object hint) {
    return this;
  }
}
