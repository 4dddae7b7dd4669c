package io.sensorcast.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the cluster answers, for a service's readiness: Kafka clients ride out a broker outage silently (a Streams
 * client stays RUNNING, a consumer's poll just returns nothing), so {@code /health} would say "ready" while nothing
 * moves. A daemon thread asks the cluster for its nodes every {@code every} (one small metadata request, timing out
 * after the same interval); the answer flips to unreachable on the first probe that fails and back on the first that
 * succeeds. Unreachable until the first probe answers.
 *
 * <pre>{@code
 * try (ClusterReachability cluster = ClusterReachability.watch(adminConfig, Duration.ofSeconds(2))) {
 *     ... cluster.reachable() ... cluster.describe() ...
 * }
 * }</pre>
 */
public final class ClusterReachability implements AutoCloseable {
    private final Admin admin;
    private final Duration every;
    private final ScheduledExecutorService probes;
    private volatile boolean reachable;
    private volatile long unreachableSinceNanos = System.nanoTime();

    private ClusterReachability(Admin admin, Duration every, String name) {
        this.admin = admin;
        this.every = every;
        this.probes = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts probing with an Admin client built from {@code adminConfig} (bootstrap servers and any security
     * settings; its timeouts are set here).
     */
    public static ClusterReachability watch(Map<String, Object> adminConfig, Duration every) {
        Map<String, Object> config = new HashMap<>();
        adminConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) { // producer or consumer keys would only be warned about
                config.put(k, v);
            }
        });
        int timeoutMs = (int) Math.max(500, every.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, timeoutMs);
        String name = "sensorcast-cluster-probe-" + config.getOrDefault(AdminClientConfig.CLIENT_ID_CONFIG, "");
        ClusterReachability r = new ClusterReachability(Admin.create(config), every, name);
        r.probes.scheduleWithFixedDelay(r::probe, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    /**
     * The cluster's id, asked now.
     *
     * @throws KafkaUnreachableException when the cluster does not say within {@code timeout}
     */
    public String clusterId(Duration timeout) {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnreachableException("interrupted while asking the cluster for its id", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnreachableException("the cluster did not tell its id within " + timeout.toSeconds() + " s", e);
        }
    }

    /** True if the last probe got an answer. */
    public boolean reachable() {
        return reachable;
    }

    /** "reachable", or how long it has not been, e.g. "unreachable for 12 s": for a readiness body or a log line. */
    public String describe() {
        return reachable ? "reachable"
                : "unreachable for " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - unreachableSinceNanos) + " s";
    }

    private void probe() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.max(500, every.toMillis())))
                    .nodes().get(every.toMillis() + 1000, TimeUnit.MILLISECONDS);
            reachable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (reachable) {
                unreachableSinceNanos = System.nanoTime();
            }
            reachable = false;
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
        admin.close(Duration.ofSeconds(1));
    }
}
