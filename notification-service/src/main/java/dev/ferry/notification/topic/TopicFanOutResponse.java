package dev.ferry.notification.topic;

import dev.ferry.notification.notification.BatchResponse;

/** The result of a fan-out: one batch item per subscriber (its index is the subscriber order). */
record TopicFanOutResponse(String topic, int subscribers, BatchResponse results) {}
