package dev.ferry.broker.protocol;

import dev.ferry.broker.producer.ProducerIdManager;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;

/**
 * ApiVersions, DescribeCluster and InitProducerId: the APIs about the node itself.
 *
 * <p>InitProducerId serves idempotent producers only. A producer that passes its current id and
 * epoch (KIP-360, after an {@code OUT_OF_ORDER_SEQUENCE_NUMBER}) keeps its id with the epoch
 * bumped, which resets its sequences; a transactional id is refused with {@code INVALID_REQUEST}
 * because there is no transaction coordinator yet.
 *
 * <p>Stateless and thread-safe.
 */
final class ClusterApis {

  private final AdvertisedEndpoint endpoint;
  private final ProducerIdManager producerIds;

  ClusterApis(AdvertisedEndpoint endpoint, ProducerIdManager producerIds) {
    this.endpoint = endpoint;
    this.producerIds = producerIds;
  }

  CompletableFuture<ApiMessage> apiVersions(RequestContext context, AbstractRequest request) {
    return CompletableFuture.completedFuture(
        new ApiVersionsResponseData()
            .setErrorCode(Errors.NONE.code())
            .setApiKeys(SupportedApis.apiVersions()));
  }

  CompletableFuture<ApiMessage> describeCluster(RequestContext context, AbstractRequest request) {
    DescribeClusterRequestData data = ((DescribeClusterRequest) request).data();
    DescribeClusterResponseData response =
        new DescribeClusterResponseData()
            .setClusterId(endpoint.clusterId())
            .setControllerId(endpoint.nodeId())
            .setClusterAuthorizedOperations(Integer.MIN_VALUE);
    if (context.apiVersion() >= 1) {
      response.setEndpointType(data.endpointType());
      if (data.endpointType() != 1) {
        return CompletableFuture.completedFuture(
            response
                .setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                .setErrorMessage("This node only has a broker endpoint"));
      }
    }
    response
        .brokers()
        .add(
            new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(endpoint.nodeId())
                .setHost(endpoint.host())
                .setPort(endpoint.port()));
    return CompletableFuture.completedFuture(response);
  }

  CompletableFuture<ApiMessage> initProducerId(RequestContext context, AbstractRequest request)
      throws IOException {
    InitProducerIdRequestData data = ((InitProducerIdRequest) request).data();
    InitProducerIdResponseData response = new InitProducerIdResponseData();
    if (data.transactionalId() != null) {
      return CompletableFuture.completedFuture(
          response
              .setErrorCode(Errors.INVALID_REQUEST.code())
              .setProducerId(RecordBatch.NO_PRODUCER_ID)
              .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH));
    }
    boolean bump =
        data.producerId() != RecordBatch.NO_PRODUCER_ID
            && data.producerEpoch() >= 0
            && data.producerEpoch() < Short.MAX_VALUE - 1;
    return CompletableFuture.completedFuture(
        bump
            ? response
                .setProducerId(data.producerId())
                .setProducerEpoch((short) (data.producerEpoch() + 1))
            : response.setProducerId(producerIds.nextProducerId()).setProducerEpoch((short) 0));
  }
}
