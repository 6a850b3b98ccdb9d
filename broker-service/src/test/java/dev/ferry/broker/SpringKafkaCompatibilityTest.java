package dev.ferry.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * An ordinary Spring Kafka application, unchanged: a {@code NewTopic} bean created through {@link
 * KafkaAdmin}, a {@link KafkaTemplate} and a {@code @KafkaListener} in a consumer group.
 */
class SpringKafkaCompatibilityTest {

  @Test
  void kafkaTemplateAndKafkaListenerWorkAgainstTheBroker() throws Exception {
    String bootstrap = SharedBroker.get().bootstrapServers();
    try (AnnotationConfigApplicationContext app = new AnnotationConfigApplicationContext()) {
      app.registerBean("bootstrapServers", String.class, () -> bootstrap);
      app.register(ClientApplication.class);
      app.refresh();

      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        assertThat(
                admin
                    .describeTopics(List.of("spring-topic"))
                    .allTopicNames()
                    .get()
                    .get("spring-topic")
                    .partitions())
            .hasSize(2);
      }
      @SuppressWarnings("unchecked")
      KafkaTemplate<String, String> template = app.getBean(KafkaTemplate.class);
      for (int i = 0; i < 10; i++) {
        template.send("spring-topic", "key-" + i, "hello-" + i).get();
      }
      Greetings greetings = app.getBean(Greetings.class);
      for (int i = 0; i < 10; i++) {
        assertThat(greetings.received.poll(90, TimeUnit.SECONDS)).startsWith("hello-");
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableKafka
  static class ClientApplication {

    @Bean
    KafkaAdmin kafkaAdmin(String bootstrapServers) {
      return new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Bean
    NewTopic springTopic() {
      return TopicBuilder.name("spring-topic").partitions(2).replicas(1).build();
    }

    @Bean
    ProducerFactory<String, String> producerFactory(String bootstrapServers) {
      return new DefaultKafkaProducerFactory<>(
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    @Bean
    KafkaTemplate<String, String> kafkaTemplate(ProducerFactory<String, String> producerFactory) {
      return new KafkaTemplate<>(producerFactory);
    }

    @Bean
    ConsumerFactory<String, String> consumerFactory(String bootstrapServers) {
      return new DefaultKafkaConsumerFactory<>(
          Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrapServers,
              ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
              "earliest",
              ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
              StringDeserializer.class,
              ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
              StringDeserializer.class));
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory(
        ConsumerFactory<String, String> consumerFactory) {
      ConcurrentKafkaListenerContainerFactory<String, String> factory =
          new ConcurrentKafkaListenerContainerFactory<>();
      factory.setConsumerFactory(consumerFactory);
      return factory;
    }

    @Bean
    Greetings greetings() {
      return new Greetings();
    }
  }

  static class Greetings {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @KafkaListener(topics = "spring-topic", groupId = "spring-group")
    void onGreeting(String value) {
      received.add(value);
    }
  }
}
