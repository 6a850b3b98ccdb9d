package dev.ferry.broker.protocol;

import dev.ferry.broker.group.GroupCommands;
import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.group.GroupCommands.GroupDescription;
import dev.ferry.broker.group.GroupCommands.GroupListing;
import dev.ferry.broker.group.GroupCoordinator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;

/**
 * The classic consumer-group APIs, translated to and from the {@link GroupCoordinator}'s commands.
 * This node coordinates every group, so FindCoordinator always names it; a transaction coordinator
 * lookup gets {@code INVALID_REQUEST} because transactions are not supported.
 *
 * <p>Stateless and thread-safe.
 */
final class GroupApis {

  private final GroupCoordinator coordinator;
  private final AdvertisedEndpoint endpoint;
  private final Clock clock;

  GroupApis(GroupCoordinator coordinator, AdvertisedEndpoint endpoint, Clock clock) {
    this.coordinator = coordinator;
    this.endpoint = endpoint;
    this.clock = clock;
  }

  CompletableFuture<ApiMessage> findCoordinator(RequestContext context, AbstractRequest request) {
    FindCoordinatorRequestData data = ((FindCoordinatorRequest) request).data();
    FindCoordinatorResponseData response = new FindCoordinatorResponseData();
    boolean isGroup = data.keyType() == FindCoordinatorRequest.CoordinatorType.GROUP.id();
    Errors error = isGroup ? Errors.NONE : Errors.INVALID_REQUEST;
    if (context.apiVersion() < 4) {
      return done(
          isGroup
              ? response
                  .setNodeId(endpoint.nodeId())
                  .setHost(endpoint.host())
                  .setPort(endpoint.port())
              : response.setErrorCode(error.code()).setNodeId(-1).setHost("").setPort(-1));
    }
    for (String key : data.coordinatorKeys()) {
      FindCoordinatorResponseData.Coordinator coordinatorNode =
          new FindCoordinatorResponseData.Coordinator().setKey(key);
      response
          .coordinators()
          .add(
              isGroup
                  ? coordinatorNode
                      .setNodeId(endpoint.nodeId())
                      .setHost(endpoint.host())
                      .setPort(endpoint.port())
                  : coordinatorNode
                      .setErrorCode(error.code())
                      .setErrorMessage("Transactions are not supported")
                      .setNodeId(-1)
                      .setHost("")
                      .setPort(-1));
    }
    return done(response);
  }

  CompletableFuture<ApiMessage> joinGroup(RequestContext context, AbstractRequest request) {
    JoinGroupRequestData data = ((JoinGroupRequest) request).data();
    short version = context.apiVersion();
    List<GroupCommands.Protocol> protocols = new ArrayList<>();
    data.protocols()
        .forEach(p -> protocols.add(new GroupCommands.Protocol(p.name(), p.metadata())));
    GroupCommands.Join join =
        new GroupCommands.Join(
            data.groupId(),
            data.memberId(),
            Optional.ofNullable(data.groupInstanceId()),
            context.clientId(),
            context.clientHost(),
            data.protocolType(),
            protocols,
            data.sessionTimeoutMs(),
            data.rebalanceTimeoutMs() > 0 ? data.rebalanceTimeoutMs() : data.sessionTimeoutMs(),
            version >= 4);
    return coordinator
        .join(join)
        .thenApply(
            result -> {
              JoinGroupResponseData response =
                  new JoinGroupResponseData()
                      .setErrorCode(result.error().code())
                      .setGenerationId(result.generationId())
                      .setProtocolName(
                          result.protocolName() == null && version < 7 ? "" : result.protocolName())
                      .setLeader(result.leaderId())
                      .setMemberId(result.memberId());
              if (version >= 7) {
                response.setProtocolType(result.protocolType());
              }
              for (GroupCommands.JoinedMember member : result.members()) {
                response
                    .members()
                    .add(
                        new JoinGroupResponseData.JoinGroupResponseMember()
                            .setMemberId(member.memberId())
                            .setGroupInstanceId(member.groupInstanceId().orElse(null))
                            .setMetadata(member.metadata()));
              }
              return response;
            });
  }

  CompletableFuture<ApiMessage> syncGroup(RequestContext context, AbstractRequest request) {
    SyncGroupRequestData data = ((SyncGroupRequest) request).data();
    Map<String, byte[]> assignments = new HashMap<>();
    data.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
    GroupCommands.Sync sync =
        new GroupCommands.Sync(
            data.groupId(),
            data.generationId(),
            data.memberId(),
            data.protocolType(),
            data.protocolName(),
            assignments);
    short version = context.apiVersion();
    return coordinator
        .sync(sync)
        .thenApply(
            result -> {
              SyncGroupResponseData response =
                  new SyncGroupResponseData()
                      .setErrorCode(result.error().code())
                      .setAssignment(result.assignment());
              if (version >= 5) {
                response
                    .setProtocolType(result.protocolType())
                    .setProtocolName(result.protocolName());
              }
              return response;
            });
  }

  CompletableFuture<ApiMessage> heartbeat(RequestContext context, AbstractRequest request) {
    HeartbeatRequestData data = ((HeartbeatRequest) request).data();
    Errors error = coordinator.heartbeat(data.groupId(), data.memberId(), data.generationId());
    return done(new HeartbeatResponseData().setErrorCode(error.code()));
  }

  CompletableFuture<ApiMessage> leaveGroup(RequestContext context, AbstractRequest request) {
    LeaveGroupRequestData data = ((LeaveGroupRequest) request).data();
    LeaveGroupResponseData response = new LeaveGroupResponseData();
    if (context.apiVersion() < 3) {
      Errors error =
          coordinator.leave(data.groupId(), List.of(data.memberId())).get(data.memberId());
      return done(response.setErrorCode(error.code()));
    }
    List<String> memberIds = new ArrayList<>();
    data.members().forEach(member -> memberIds.add(member.memberId()));
    Map<String, Errors> results = coordinator.leave(data.groupId(), memberIds);
    for (LeaveGroupRequestData.MemberIdentity member : data.members()) {
      response
          .members()
          .add(
              new LeaveGroupResponseData.MemberResponse()
                  .setMemberId(member.memberId())
                  .setGroupInstanceId(member.groupInstanceId())
                  .setErrorCode(results.get(member.memberId()).code()));
    }
    return done(response);
  }

  CompletableFuture<ApiMessage> offsetCommit(RequestContext context, AbstractRequest request) {
    OffsetCommitRequestData data = ((OffsetCommitRequest) request).data();
    long nowMs = clock.millis();
    Map<TopicPartition, CommittedOffset> commits = new LinkedHashMap<>();
    for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics()) {
      for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
        commits.put(
            new TopicPartition(topic.name(), partition.partitionIndex()),
            new CommittedOffset(
                partition.committedOffset(),
                partition.committedLeaderEpoch(),
                partition.committedMetadata() == null ? "" : partition.committedMetadata(),
                nowMs));
      }
    }
    Errors error =
        coordinator.commitOffsets(
            data.groupId(), data.memberId(), data.generationIdOrMemberEpoch(), commits);
    OffsetCommitResponseData response = new OffsetCommitResponseData();
    for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics()) {
      OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse =
          new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(topic.name());
      for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
        topicResponse
            .partitions()
            .add(
                new OffsetCommitResponseData.OffsetCommitResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(error.code()));
      }
      response.topics().add(topicResponse);
    }
    return done(response);
  }

  CompletableFuture<ApiMessage> offsetFetch(RequestContext context, AbstractRequest request) {
    OffsetFetchRequestData data = ((OffsetFetchRequest) request).data();
    OffsetFetchResponseData response = new OffsetFetchResponseData();
    if (context.apiVersion() < 8) {
      Map<String, List<Integer>> requested = null;
      if (data.topics() != null) {
        requested = new LinkedHashMap<>();
        for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : data.topics()) {
          requested.put(topic.name(), topic.partitionIndexes());
        }
      }
      offsets(data.groupId(), requested)
          .forEach(
              (topic, partitions) -> {
                OffsetFetchResponseData.OffsetFetchResponseTopic topicResponse =
                    new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic);
                partitions.forEach(
                    (partition, offset) ->
                        topicResponse
                            .partitions()
                            .add(
                                new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                    .setPartitionIndex(partition)
                                    .setCommittedOffset(offset.offset())
                                    .setCommittedLeaderEpoch(offset.leaderEpoch())
                                    .setMetadata(offset.metadata())));
                response.topics().add(topicResponse);
              });
      return done(response);
    }
    for (OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups()) {
      Map<String, List<Integer>> requested = null;
      if (group.topics() != null) {
        requested = new LinkedHashMap<>();
        for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
          requested.put(topic.name(), topic.partitionIndexes());
        }
      }
      OffsetFetchResponseData.OffsetFetchResponseGroup groupResponse =
          new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(group.groupId());
      offsets(group.groupId(), requested)
          .forEach(
              (topic, partitions) -> {
                OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse =
                    new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic);
                partitions.forEach(
                    (partition, offset) ->
                        topicResponse
                            .partitions()
                            .add(
                                new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                    .setPartitionIndex(partition)
                                    .setCommittedOffset(offset.offset())
                                    .setCommittedLeaderEpoch(offset.leaderEpoch())
                                    .setMetadata(offset.metadata())));
                groupResponse.topics().add(topicResponse);
              });
      response.groups().add(groupResponse);
    }
    return done(response);
  }

  /**
   * The committed offsets of {@code groupId} by topic and partition: of the requested partitions
   * (offset -1 where none is committed), or of every committed partition when {@code requested} is
   * null.
   */
  private Map<String, Map<Integer, CommittedOffset>> offsets(
      String groupId, Map<String, List<Integer>> requested) {
    Map<TopicPartition, CommittedOffset> committed = coordinator.committedOffsets(groupId);
    Map<String, Map<Integer, CommittedOffset>> result = new TreeMap<>();
    if (requested == null) {
      committed.forEach(
          (partition, offset) ->
              result
                  .computeIfAbsent(partition.topic(), t -> new TreeMap<>())
                  .put(partition.partition(), offset));
      return result;
    }
    CommittedOffset none = new CommittedOffset(-1, -1, "", -1);
    requested.forEach(
        (topic, partitions) -> {
          Map<Integer, CommittedOffset> byPartition = new TreeMap<>();
          for (int partition : partitions) {
            byPartition.put(
                partition, committed.getOrDefault(new TopicPartition(topic, partition), none));
          }
          result.put(topic, byPartition);
        });
    return result;
  }

  CompletableFuture<ApiMessage> describeGroups(RequestContext context, AbstractRequest request) {
    DescribeGroupsRequestData data = ((DescribeGroupsRequest) request).data();
    DescribeGroupsResponseData response = new DescribeGroupsResponseData();
    for (String groupId : data.groups()) {
      Optional<GroupDescription> described = coordinator.describe(groupId);
      DescribedGroup group =
          new DescribedGroup()
              .setGroupId(groupId)
              .setGroupState("Dead")
              .setProtocolType("")
              .setProtocolData("")
              .setAuthorizedOperations(Integer.MIN_VALUE);
      described.ifPresent(
          description -> {
            group
                .setGroupState(description.state())
                .setProtocolType(description.protocolType())
                .setProtocolData(
                    description.protocolName() == null ? "" : description.protocolName());
            for (GroupCommands.MemberDescription member : description.members()) {
              group
                  .members()
                  .add(
                      new DescribedGroupMember()
                          .setMemberId(member.memberId())
                          .setGroupInstanceId(member.groupInstanceId().orElse(null))
                          .setClientId(member.clientId())
                          .setClientHost(member.clientHost())
                          .setMemberMetadata(member.metadata())
                          .setMemberAssignment(member.assignment()));
            }
          });
      response.groups().add(group);
    }
    return done(response);
  }

  CompletableFuture<ApiMessage> listGroups(RequestContext context, AbstractRequest request) {
    ListGroupsRequestData data = ((ListGroupsRequest) request).data();
    short version = context.apiVersion();
    ListGroupsResponseData response = new ListGroupsResponseData();
    for (GroupListing listing : coordinator.list()) {
      if (version >= 4
          && !data.statesFilter().isEmpty()
          && data.statesFilter().stream().noneMatch(s -> s.equalsIgnoreCase(listing.state()))) {
        continue;
      }
      if (version >= 5
          && !data.typesFilter().isEmpty()
          && data.typesFilter().stream().noneMatch(t -> t.equalsIgnoreCase("classic"))) {
        continue;
      }
      ListGroupsResponseData.ListedGroup group =
          new ListGroupsResponseData.ListedGroup()
              .setGroupId(listing.groupId())
              .setProtocolType(listing.protocolType());
      if (version >= 4) {
        group.setGroupState(listing.state());
      }
      if (version >= 5) {
        group.setGroupType("classic");
      }
      response.groups().add(group);
    }
    return done(response);
  }

  private static CompletableFuture<ApiMessage> done(ApiMessage message) {
    return CompletableFuture.completedFuture(message);
  }
}
