package dev.ganglion.serve;

/**
 * A request the server answers with an error: the HTTP status, a short machine-readable kind
 * (the {@code error} label of the metrics) and a one-line message for the client.
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final String kind;

    ApiError(int status, String kind, String message) {
        super(message, null, false, false);
        this.status = status;
        this.kind = kind;
    }

    int status() {
        return status;
    }

    String kind() {
        return kind;
    }

    static ApiError badInput(String message) {
        return new ApiError(400, "invalid_input", message);
    }
}
