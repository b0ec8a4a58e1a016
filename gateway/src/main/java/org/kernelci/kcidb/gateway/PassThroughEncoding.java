package org.kernelci.kcidb.gateway;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import java.util.Set;

/**
 * Tells Helidon to hand compressed request bodies through untouched: the submit route decodes them itself, inside its
 * size limit, and answers unsupported encodings in the Rust JSON shape. (Helidon refuses a request with a
 * {@code Content-Encoding} it has no decoder for, with a plain-text 400 of its own.) Responses are never encoded.
 */
final class PassThroughEncoding implements ContentEncoding {
    static final Set<String> IDS = Set.of("gzip", "x-gzip", "deflate", "br", "compress", "zstd");

    @Override
    public Set<String> ids() {
        return IDS;
    }

    @Override
    public boolean supportsEncoding() {
        return false;
    }

    @Override
    public boolean supportsDecoding() {
        return true;
    }

    @Override
    public ContentDecoder decoder() {
        return ContentDecoder.NO_OP;
    }

    @Override
    public ContentEncoder encoder() {
        return ContentEncoder.NO_OP;
    }

    @Override
    public String name() {
        return "kcidb-pass-through";
    }

    @Override
    public String type() {
        return "kcidb-pass-through";
    }
}
