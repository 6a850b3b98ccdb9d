package dev.ferry.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Fetch response whose records are a segment file slice must reach the socket byte for byte as
 * the heap-copied response would, with the records as a file region rather than a buffer.
 */
class NettyOutboundTest {

  private static final short FETCH_VERSION = 12;

  @TempDir Path dir;

  @Test
  void sendsFileRecordsAsAFileRegionWithTheSameBytesAsAHeapCopy() throws Exception {
    MemoryRecords batch = batch();
    try (FileRecords file = FileRecords.open(dir.resolve("0.log").toFile())) {
      file.append(batch);
      file.append(batch());
      FileRecords slice = file.slice(batch.sizeInBytes(), batch.sizeInBytes());
      ResponseHeader header =
          new ResponseHeader(7, ApiKeys.FETCH.responseHeaderVersion(FETCH_VERSION));

      List<Object> messages =
          NettyOutbound.messages(
              SendBuilder.buildResponseSend(header, fetchResponse(slice), FETCH_VERSION));

      assertThat(messages).filteredOn(FileRegion.class::isInstance).hasSize(1);
      ByteBuffer expected =
          RequestUtils.serialize(
              header.data(), header.headerVersion(), fetchResponse(batch()), FETCH_VERSION);
      ByteBuffer sizePrefixed =
          ByteBuffer.allocate(4 + expected.remaining()).putInt(expected.remaining()).put(expected);
      assertThat(written(messages)).isEqualTo(sizePrefixed.array());
    }
  }

  private static MemoryRecords batch() {
    return MemoryRecords.withRecords(
        Compression.NONE,
        new SimpleRecord(1L, "k".getBytes(), "first".getBytes()),
        new SimpleRecord(2L, "k".getBytes(), "second".getBytes()));
  }

  private static FetchResponseData fetchResponse(BaseRecords records) {
    FetchResponseData.PartitionData partition =
        new FetchResponseData.PartitionData()
            .setPartitionIndex(0)
            .setHighWatermark(4)
            .setRecords(records);
    FetchResponseData.FetchableTopicResponse topic =
        new FetchResponseData.FetchableTopicResponse().setTopic("t");
    topic.partitions().add(partition);
    FetchResponseData response = new FetchResponseData();
    response.responses().add(topic);
    return response;
  }

  private static byte[] written(List<Object> messages) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WritableByteChannel channel = Channels.newChannel(out);
    for (Object message : messages) {
      if (message instanceof ByteBuf buffer) {
        buffer.readBytes(out, buffer.readableBytes());
        buffer.release();
      } else {
        FileRegion region = (FileRegion) message;
        while (region.transferred() < region.count()) {
          region.transferTo(channel, region.transferred());
        }
        region.release();
      }
    }
    return out.toByteArray();
  }
}
