package dev.ferry.broker.admin;

import dev.ferry.broker.admin.AdminApi.GroupDetails;
import dev.ferry.broker.admin.AdminApi.GroupSummary;
import dev.ferry.broker.admin.AdminApi.MemberDetails;
import dev.ferry.broker.admin.AdminApi.OffsetDetails;
import dev.ferry.broker.group.GroupCommands.GroupDescription;
import dev.ferry.broker.group.GroupCoordinator;
import dev.ferry.broker.lag.ConsumerLag;
import dev.ferry.broker.lag.PartitionLag;
import java.util.List;
import java.util.OptionalLong;
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
  private final ConsumerLag consumerLag;

  GroupAdminController(GroupCoordinator coordinator, ConsumerLag consumerLag) {
    this.coordinator = coordinator;
    this.consumerLag = consumerLag;
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
    List<OffsetDetails> offsets = consumerLag.of(groupId).stream().map(this::offset).toList();
    return new GroupDetails(groupId, group.state(), group.protocolName(), members, offsets);
  }

  private OffsetDetails offset(PartitionLag lag) {
    return new OffsetDetails(
        lag.topicPartition().topic(),
        lag.topicPartition().partition(),
        lag.committedOffset(),
        boxed(lag.highWatermark()),
        boxed(lag.lag()));
  }

  private static Long boxed(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }
}
