package dev.ferry.broker.admin;

import dev.ferry.broker.admin.AdminApi.CreateTopicRequest;
import dev.ferry.broker.admin.AdminApi.PartitionDetails;
import dev.ferry.broker.admin.AdminApi.TopicDetails;
import dev.ferry.broker.admin.AdminApi.TopicSummary;
import dev.ferry.broker.partition.Partition;
import dev.ferry.broker.partition.PartitionManager;
import dev.ferry.broker.topic.TopicConfigs;
import dev.ferry.broker.topic.TopicDescription;
import dev.ferry.broker.topic.TopicManager;
import jakarta.validation.Valid;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Topics over HTTP: list, describe with partition offsets, create and delete. */
@RestController
@RequestMapping("/api/v1/topics")
class TopicAdminController {

  private final TopicManager topics;
  private final PartitionManager partitions;

  TopicAdminController(TopicManager topics, PartitionManager partitions) {
    this.topics = topics;
    this.partitions = partitions;
  }

  @GetMapping
  List<TopicSummary> list() {
    return topics.topics().stream()
        .sorted(Comparator.comparing(TopicDescription::name))
        .map(t -> new TopicSummary(t.name(), t.id().toString(), t.partitions()))
        .toList();
  }

  @GetMapping("/{name}")
  TopicDetails describe(@PathVariable String name) {
    TopicDescription topic =
        topics
            .topic(name)
            .orElseThrow(
                () -> new UnknownTopicOrPartitionException("Topic " + name + " not found"));
    return details(topic);
  }

  @PostMapping
  ResponseEntity<TopicDetails> create(@Valid @RequestBody CreateTopicRequest request)
      throws IOException {
    TopicDescription topic =
        topics.create(
            request.name(),
            request.partitions() == null ? -1 : request.partitions(),
            (short) -1,
            request.configs() == null ? Map.of() : request.configs(),
            false);
    return ResponseEntity.created(URI.create("/api/v1/topics/" + topic.name()))
        .body(details(topic));
  }

  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(@PathVariable String name) throws IOException {
    topics.delete(name);
    return ResponseEntity.noContent().build();
  }

  private TopicDetails details(TopicDescription topic) {
    List<PartitionDetails> partitionDetails = new ArrayList<>();
    for (int index = 0; index < topic.partitions(); index++) {
      Partition partition = partitions.getOrThrow(new TopicPartition(topic.name(), index));
      partitionDetails.add(
          new PartitionDetails(
              index,
              partition.role().name(),
              partition.logStartOffset(),
              partition.highWatermark(),
              partition.sizeInBytes()));
    }
    return new TopicDetails(
        topic.name(),
        topic.id().toString(),
        partitionDetails,
        TopicConfigs.effective(topics.logConfig(topic)));
  }
}
