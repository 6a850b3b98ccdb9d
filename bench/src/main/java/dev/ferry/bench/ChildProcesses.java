package dev.ferry.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The processes a benchmark started (services, nginx), stopped when it closes and also when the
 * benchmark itself is stopped (Ctrl-C, SIGTERM), so that no nginx or service outlives its run and
 * skews the next one. Thread-safe.
 */
public final class ChildProcesses implements AutoCloseable {

  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Thread onExit = new Thread(this::stopAll, "bench-stop-children");

  public ChildProcesses() {
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** Adds {@code process} to those stopped at the end and returns it. */
  public Process add(Process process) {
    processes.add(process);
    return process;
  }

  @Override
  public void close() {
    stopAll();
    Runtime.getRuntime().removeShutdownHook(onExit);
  }

  /** Asks each process to stop (SIGTERM), then kills those still running after 30 s. */
  private void stopAll() {
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        processes.forEach(Process::destroyForcibly);
        return;
      }
    }
  }
}
