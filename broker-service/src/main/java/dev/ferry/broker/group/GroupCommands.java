package dev.ferry.broker.group;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.protocol.Errors;

/**
 * The commands and results of the classic group protocol, in the coordinator's own terms. Errors
 * use Kafka's {@link Errors} vocabulary because that is what the coordinator must answer with.
 */
public final class GroupCommands {

  private GroupCommands() {}

  /** A protocol (assignor) a member supports, with its opaque subscription metadata. */
  public record Protocol(String name, byte[] metadata) {}

  /**
   * A JoinGroup request.
   *
   * @param requireKnownMemberId JoinGroup v4+: a new member first gets an id and must rejoin
   */
  public record Join(
      String groupId,
      String memberId,
      Optional<String> groupInstanceId,
      String clientId,
      String clientHost,
      String protocolType,
      List<Protocol> protocols,
      int sessionTimeoutMs,
      int rebalanceTimeoutMs,
      boolean requireKnownMemberId) {}

  /** One member as the leader sees it, with its metadata for the chosen protocol. */
  public record JoinedMember(String memberId, Optional<String> groupInstanceId, byte[] metadata) {}

  /** A JoinGroup response; {@code members} is filled for the leader only. */
  public record JoinResult(
      Errors error,
      int generationId,
      String protocolType,
      String protocolName,
      String leaderId,
      String memberId,
      List<JoinedMember> members) {

    static JoinResult error(Errors error, String memberId) {
      return new JoinResult(error, -1, null, null, "", memberId, List.of());
    }
  }

  /** A SyncGroup request; only the leader sends assignments. */
  public record Sync(
      String groupId,
      int generationId,
      String memberId,
      String protocolType,
      String protocolName,
      Map<String, byte[]> assignments) {}

  /** A SyncGroup response. */
  public record SyncResult(
      Errors error, String protocolType, String protocolName, byte[] assignment) {

    static SyncResult error(Errors error) {
      return new SyncResult(error, null, null, new byte[0]);
    }
  }

  /** A member as DescribeGroups reports it. */
  public record MemberDescription(
      String memberId,
      Optional<String> groupInstanceId,
      String clientId,
      String clientHost,
      byte[] metadata,
      byte[] assignment) {}

  /** A group as DescribeGroups reports it. */
  public record GroupDescription(
      String groupId,
      String state,
      String protocolType,
      String protocolName,
      List<MemberDescription> members) {}

  /** A group as ListGroups reports it. */
  public record GroupListing(String groupId, String protocolType, String state) {}

  /** A committed offset. */
  public record CommittedOffset(
      long offset, int leaderEpoch, String metadata, long commitTimestampMs) {}
}
