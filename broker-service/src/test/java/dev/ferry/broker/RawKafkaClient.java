package dev.ferry.broker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * A blocking one-request-at-a-time Kafka protocol client built from kafka-clients' message classes,
 * for sending exactly the bytes a test needs: duplicates, corrupt batches, unsupported versions,
 * oversized frames.
 */
final class RawKafkaClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private int correlationId;

  RawKafkaClient(String bootstrapServers) throws IOException {
    String[] hostPort = bootstrapServers.split(":");
    this.socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
    socket.setSoTimeout(30_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  /** Sends a request and parses the response at the same version. */
  @SuppressWarnings("unchecked")
  <T extends AbstractResponse> T send(ApiKeys api, short version, ApiMessage body)
      throws IOException {
    RequestHeader header = send(api, version, body, "raw-client");
    return (T) AbstractResponse.parseResponse(ByteBuffer.wrap(readFrame()), header);
  }

  /** Sends a request without waiting for a response (e.g. produce with acks=0). */
  RequestHeader send(ApiKeys api, short version, ApiMessage body, String clientId)
      throws IOException {
    RequestHeader header = new RequestHeader(api, version, clientId, ++correlationId);
    ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
    writeFrame(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    return header;
  }

  void writeFrame(byte[] bytes, int offset, int length) throws IOException {
    out.writeInt(length);
    out.write(bytes, offset, length);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  byte[] readFrame() throws IOException {
    int size = in.readInt();
    byte[] frame = new byte[size];
    in.readFully(frame);
    return frame;
  }

  /** Whether the broker closed the connection (as opposed to answering or staying silent). */
  boolean isClosedByBroker() throws IOException {
    try {
      return in.read() == -1;
    } catch (EOFException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset by the peer is a close too.
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
