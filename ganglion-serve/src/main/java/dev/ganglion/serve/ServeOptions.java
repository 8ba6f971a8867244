package dev.ganglion.serve;

import java.time.Duration;

/**
 * How a {@link ModelServer} listens, batches and limits requests.
 *
 * @param host             the address to bind, e.g. {@code 127.0.0.1} (loopback only) or {@code 0.0.0.0}
 * @param port             the port; 0 picks a free one ({@link ModelServer#port()} tells which)
 * @param maxBatchRows     the most rows one forward pass gathers from queued requests
 * @param maxWait          how long a batch may wait for requests that are still being read;
 *                         never waited for when no other request is arriving
 * @param maxBodyBytes     the largest request body accepted (413 beyond)
 * @param maxRowsPerRequest the most rows one request may hold (413 beyond)
 * @param pollInterval     how often the model directories are checked for a new model
 * @param grace            how long shutdown waits for requests in flight
 */
public record ServeOptions(String host, int port, int maxBatchRows, Duration maxWait, long maxBodyBytes,
                           int maxRowsPerRequest, Duration pollInterval, Duration grace) {
    /** Checks the ranges. */
    public ServeOptions {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("--host must not be empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        if (maxBatchRows < 1) throw new IllegalArgumentException("--max-batch must be at least 1, got " + maxBatchRows);
        if (maxWait.isNegative()) throw new IllegalArgumentException("--max-wait-ms must not be negative");
        if (maxBodyBytes < 16) throw new IllegalArgumentException("--max-body-bytes must be at least 16, got " + maxBodyBytes);
        if (maxRowsPerRequest < 1) throw new IllegalArgumentException("--max-rows must be at least 1, got " + maxRowsPerRequest);
        if (pollInterval.toMillis() < 10) throw new IllegalArgumentException("--poll-ms must be at least 10");
        if (grace.isNegative()) throw new IllegalArgumentException("--grace-seconds must not be negative");
    }

    /** The defaults of {@code ganglion serve}: loopback, port 8080. */
    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, 256, Duration.ofMillis(2), 16L << 20, 4096,
                Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** The same options on another port (0: any free one). */
    public ServeOptions withPort(int port) {
        return new ServeOptions(host, port, maxBatchRows, maxWait, maxBodyBytes, maxRowsPerRequest, pollInterval, grace);
    }

    /** The same options with other micro-batching bounds. */
    public ServeOptions withBatching(int maxBatchRows, Duration maxWait) {
        return new ServeOptions(host, port, maxBatchRows, maxWait, maxBodyBytes, maxRowsPerRequest, pollInterval, grace);
    }

    /** The same options with other request limits. */
    public ServeOptions withLimits(long maxBodyBytes, int maxRowsPerRequest) {
        return new ServeOptions(host, port, maxBatchRows, maxWait, maxBodyBytes, maxRowsPerRequest, pollInterval, grace);
    }

    /** The same options with another model-directory poll interval. */
    public ServeOptions withPollInterval(Duration pollInterval) {
        return new ServeOptions(host, port, maxBatchRows, maxWait, maxBodyBytes, maxRowsPerRequest, pollInterval, grace);
    }
}
