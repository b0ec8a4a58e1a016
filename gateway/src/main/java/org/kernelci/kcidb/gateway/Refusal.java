package org.kernelci.kcidb.gateway;

import io.helidon.http.Status;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer;

/**
 * A request the gateway answers with an error: the HTTP status and the Rust-shaped JSON answer
 * ({@code {"id":"0","status":"error","message":...}} plus any added fields). Thrown by handlers and answered in one
 * place ({@link GatewayRoutes}); 4xx count as user errors, 5xx as system errors.
 */
final class Refusal extends Exception {
    private final transient Status status;
    private final transient GatewayAnswer answer;

    Refusal(Status status, GatewayAnswer answer) {
        super(answer.message(), null, false, false);
        this.status = status;
        this.answer = answer;
    }

    static Refusal of(Status status, String message) {
        return new Refusal(status, GatewayAnswer.error(message));
    }

    Status status() {
        return status;
    }

    GatewayAnswer answer() {
        return answer;
    }

    boolean systemError() {
        return status.code() >= 500;
    }
}
