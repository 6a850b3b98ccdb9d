package dev.ferry.e2e;

import dev.ferry.localstack.LocalStack;
import dev.ferry.localstack.LocalStackOptions;
import dev.ferry.notification.fakes.FakeFcm;
import dev.ferry.notification.fakes.FakeSendGrid;
import dev.ferry.notification.fakes.FakeTwilio;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The whole suite as {@code ./run-local.sh} starts it (embedded Postgres and Redis, the Kafka of
 * the chosen flavour, the four services as child JVMs), on ports moved out of the way of a
 * developer's own stack, with notification-service sending through fake FCM, SendGrid and Twilio
 * servers and the shortener holding a deliberately small code buffer.
 *
 * <p>{@link #close} stops everything; a JVM shutdown hook does the same if the test JVM is stopped
 * before it gets there, so no child process outlives the run.
 */
final class FerryStack implements AutoCloseable {

  /** The shortener's code buffer: fetched in batches of 20, at most 40 held. */
  static final int KEYGEN_BATCH = 20;

  static final int KEYGEN_BUFFER_CAPACITY = 40;

  final FakeFcm fcm = new FakeFcm();
  final FakeSendGrid sendGrid = new FakeSendGrid();
  final FakeTwilio twilio = new FakeTwilio();
  final Http http = new Http();
  private final LocalStack stack;
  private final Path data;
  private final Path keptLogs;
  private final Thread shutdownHook;

  private FerryStack(LocalStackOptions.Kafka kafka) throws IOException {
    String flavour = kafka.name().toLowerCase(Locale.ROOT);
    this.data = Files.createTempDirectory("ferry-e2e-" + flavour);
    this.keptLogs = Path.of("target", "e2e-logs", flavour).toAbsolutePath();
    List<String> args = new ArrayList<>();
    args.add("--data-dir=" + data);
    args.add("--port-offset=" + freePortOffset());
    args.add("--kafka=" + flavour);
    shortener(args, "--ferry.shortener.links.keygen.batch-size=" + KEYGEN_BATCH);
    shortener(args, "--ferry.shortener.links.keygen.capacity=" + KEYGEN_BUFFER_CAPACITY);
    shortener(args, "--ferry.shortener.links.keygen.low-watermark=" + KEYGEN_BATCH / 2);
    notification(args, "--ferry.notification.channels.push.primary=fcm");
    notification(args, "--ferry.notification.channels.email.primary=sendgrid");
    notification(args, "--ferry.notification.channels.sms.primary=twilio");
    notification(args, "--ferry.notification.providers.fcm.base-url=" + fcm.baseUrl());
    notification(args, "--ferry.notification.providers.fcm.access-token=e2e-token");
    notification(args, "--ferry.notification.providers.sendgrid.base-url=" + sendGrid.baseUrl());
    notification(args, "--ferry.notification.providers.sendgrid.api-key=SG.e2e");
    notification(args, "--ferry.notification.providers.twilio.base-url=" + twilio.baseUrl());
    notification(args, "--ferry.notification.providers.twilio.account-sid=ACe2e");
    notification(args, "--ferry.notification.providers.twilio.auth-token=e2e-token");
    this.stack =
        new LocalStack(
            Path.of(System.getProperty("ferry.root")),
            LocalStackOptions.parse(args.toArray(String[]::new)));
    this.shutdownHook = new Thread(this::stopEverything, "ferry-e2e-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts the suite on {@code kafka} and returns once every service is ready. */
  static FerryStack start(LocalStackOptions.Kafka kafka) throws Exception {
    FerryStack stack = new FerryStack(kafka);
    try {
      stack.stack.start();
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  LocalStack services() {
    return stack;
  }

  ShortenerClient shortener() {
    return new ShortenerClient(http, stack.httpPort(LocalStack.SHORTENER));
  }

  NotificationClient notifications() {
    return new NotificationClient(http, stack.httpPort(LocalStack.NOTIFICATION));
  }

  @Override
  public void close() {
    stopEverything();
    Runtime.getRuntime().removeShutdownHook(shutdownHook);
  }

  /**
   * Stops the services and infrastructure and the fakes, keeps the services' logs under {@code
   * target/e2e-logs/<flavour>/} for a look after a failure, and deletes the data.
   */
  private void stopEverything() {
    stack.close();
    fcm.close();
    sendGrid.close();
    twilio.close();
    try {
      keepLogs();
      deleteRecursively(data);
    } catch (IOException e) {
      System.err.println("Could not clean up " + data + ": " + e);
    }
  }

  private void keepLogs() throws IOException {
    Path logs = data.resolve("logs");
    if (!Files.isDirectory(logs)) {
      return;
    }
    Files.createDirectories(keptLogs);
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.toList()) {
        Files.copy(log, keptLogs.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void shortener(List<String> args, String argument) {
    args.add("--service-arg=" + LocalStack.SHORTENER + ":" + argument);
  }

  private static void notification(List<String> args, String argument) {
    args.add("--service-arg=" + LocalStack.NOTIFICATION + ":" + argument);
  }

  /**
   * An offset that moves every default port of the stack onto a port free right now, below the
   * ephemeral range so that outgoing connections do not take them meanwhile.
   */
  private static int freePortOffset() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int offset = ThreadLocalRandom.current().nextInt(11_000, 16_000);
      if (LocalStack.defaultPorts().stream().allMatch(port -> isFree(port + offset))) {
        return offset;
      }
    }
    throw new IllegalStateException("no port offset with all the stack's ports free");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
