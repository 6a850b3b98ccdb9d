package dev.ferry.broker.admin;

import dev.ferry.broker.admin.AdminApi.GroupDetails;
import dev.ferry.broker.admin.AdminApi.GroupSummary;
import dev.ferry.broker.admin.AdminApi.MemberDetails;
import dev.ferry.broker.admin.AdminApi.OffsetDetails;
import dev.ferry.broker.group.GroupCommands.CommittedOffset;
import dev.ferry.broker.group.GroupCommands.GroupDescription;
import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.partition.Partition;
import dev.ferry.broker.partition.PartitionManager;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Consumer groups over HTTP: list, and describe with members, committed offsets and lag. */
@RestController
@RequestMapping("/api/v1/groups")
class GroupAdminController {

  private final GroupCoordinator coordinator;
  private final PartitionManager partitions;

  GroupAdminController(GroupCoordinator coordinator, PartitionManager partitions) {
    this.coordinator = coordinator;
    this.partitions = partitions;
  }

  @GetMapping
  List<GroupSummary> list() {
    return coordinator.list().stream()
        .map(g -> new GroupSummary(g.groupId(), g.protocolType(), g.state()))
        .toList();
  }

  @GetMapping("/{groupId}")
  GroupDetails describe(@PathVariable String groupId) {
    GroupDescription group =
        coordinator
            .describe(groupId)
            .orElseThrow(() -> new GroupIdNotFoundException("Group " + groupId + " not found"));
    List<MemberDetails> members =
        group.members().stream()
            .map(
                m ->
                    new MemberDetails(
                        m.memberId(),
                        m.groupInstanceId().orElse(null),
                        m.clientId(),
                        m.clientHost()))
            .toList();
    List<OffsetDetails> offsets =
        coordinator.committedOffsets(groupId).entrySet().stream()
            .sorted(
                Comparator.comparing(
                        (Map.Entry<TopicPartition, CommittedOffset> e) -> e.getKey().topic())
                    .thenComparing(e -> e.getKey().partition()))
            .map(e -> offset(e.getKey(), e.getValue()))
            .toList();
    return new GroupDetails(groupId, group.state(), group.protocolName(), members, offsets);
  }

  private OffsetDetails offset(TopicPartition topicPartition, CommittedOffset committed) {
    Optional<Long> highWatermark = partitions.get(topicPartition).map(Partition::highWatermark);
    return new OffsetDetails(
        topicPartition.topic(),
        topicPartition.partition(),
        committed.offset(),
        highWatermark.orElse(null),
        highWatermark.map(hw -> Math.max(0, hw - committed.offset())).orElse(null));
  }
}
