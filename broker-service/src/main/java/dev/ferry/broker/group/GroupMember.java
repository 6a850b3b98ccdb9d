package dev.ferry.broker.group;

import dev.ferry.broker.group.GroupCommands.JoinResult;
import dev.ferry.broker.group.GroupCommands.Protocol;
import dev.ferry.broker.group.GroupCommands.SyncResult;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a classic group. Mutable, and guarded by the monitor of the {@link ClassicGroup}
 * that owns it.
 */
final class GroupMember {

  final String memberId;
  final Optional<String> groupInstanceId;
  final String clientId;
  final String clientHost;
  int sessionTimeoutMs;
  int rebalanceTimeoutMs;
  List<Protocol> protocols;
  byte[] assignment = new byte[0];
  long lastHeartbeatMs;
  // Set while the member's JoinGroup waits for the rebalance to complete.
  CompletableFuture<JoinResult> awaitingJoin;
  // Set while the member's SyncGroup waits for the leader's assignment.
  CompletableFuture<SyncResult> awaitingSync;

  GroupMember(GroupCommands.Join join, String memberId, long nowMs) {
    this.memberId = memberId;
    this.groupInstanceId = join.groupInstanceId();
    this.clientId = join.clientId();
    this.clientHost = join.clientHost();
    this.sessionTimeoutMs = join.sessionTimeoutMs();
    this.rebalanceTimeoutMs = join.rebalanceTimeoutMs();
    this.protocols = join.protocols();
    this.lastHeartbeatMs = nowMs;
  }

  boolean supports(String protocolName) {
    return protocols.stream().anyMatch(protocol -> protocol.name().equals(protocolName));
  }

  byte[] metadata(String protocolName) {
    return protocols.stream()
        .filter(protocol -> protocol.name().equals(protocolName))
        .findFirst()
        .map(Protocol::metadata)
        .orElse(new byte[0]);
  }

  boolean sameProtocols(List<Protocol> other) {
    if (other.size() != protocols.size()) {
      return false;
    }
    for (int i = 0; i < other.size(); i++) {
      if (!other.get(i).name().equals(protocols.get(i).name())
          || !Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
        return false;
      }
    }
    return true;
  }
}
