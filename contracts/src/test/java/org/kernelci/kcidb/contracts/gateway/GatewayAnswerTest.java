package org.kernelci.kcidb.contracts.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer.AnswerError;

/** The answers byte for byte as the Rust gateway wrote them, with this gateway's fields after its three. */
class GatewayAnswerTest {
    private static String json(GatewayAnswer a) {
        return new String(a.toJson(), StandardCharsets.UTF_8);
    }

    @Test
    void theRustGatewaysThreeFieldsComeFirstAndInOrder() {
        assertThat(json(GatewayAnswer.received("abc", 12)))
                .isEqualTo("{\"id\":\"abc\",\"status\":\"ok\",\"message\":\"Received submission abc with size 12 bytes\"}");
        assertThat(json(GatewayAnswer.notFound("x"))).isEqualTo("{\"id\":\"x\",\"status\":\"notfound\",\"message\":\"File not found\"}");
        assertThat(json(GatewayAnswer.error("Empty id"))).isEqualTo("{\"id\":\"0\",\"status\":\"error\",\"message\":\"Empty id\"}");
        assertThat(json(GatewayAnswer.authenticated("maestro")))
                .isEqualTo("{\"id\":\"0\",\"status\":\"ok\",\"message\":\"Authentication successful\",\"origin\":\"maestro\"}");
        assertThat(json(GatewayAnswer.authenticated(null)))
                .isEqualTo("{\"id\":\"0\",\"status\":\"ok\",\"message\":\"Authentication successful\"}");
    }

    @Test
    void addedFieldsFollowAndAbsentOnesAreLeftOut() {
        GatewayAnswer failed = GatewayAnswer.failed("x").withFailure("schema_violation", "1 error against v5.3",
                List.of(AnswerError.at("/builds/0", "no id")), "2026-01-01T00:00:00Z");
        assertThat(json(failed)).isEqualTo("{\"id\":\"x\",\"status\":\"failed\",\"message\":\"File failed to pass validation\","
                + "\"reason\":\"schema_violation\",\"detail\":\"1 error against v5.3\","
                + "\"errors\":[{\"pointer\":\"/builds/0\",\"message\":\"no id\"}],\"failed_at\":\"2026-01-01T00:00:00Z\"}");
        GatewayAnswer origins = GatewayAnswer.error("nope").withErrors(null,
                List.of(new AnswerError("/tests/1", "o:t", "origin 'o' is not allowed for this token")));
        assertThat(json(origins)).endsWith(",\"errors\":[{\"pointer\":\"/tests/1\",\"id\":\"o:t\","
                + "\"message\":\"origin 'o' is not allowed for this token\"}]}");
    }

    @Test
    void clientsReadWhatTheGatewayWritesAndTolerateNewerFields() throws IOException {
        GatewayAnswer failed = GatewayAnswer.failed("x").withFailure("payload_unavailable", "gone", List.of(), null);
        assertThat(GatewayAnswer.fromJson(failed.toJson())).isEqualTo(failed);
        GatewayAnswer newer = GatewayAnswer.fromJson("{\"id\":\"x\",\"status\":\"ready\",\"message\":\"m\",\"eta\":3}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(newer.is(GatewayAnswer.READY)).isTrue();
        assertThatThrownBy(() -> GatewayAnswer.fromJson("<html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> GatewayAnswer.fromJson("null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
