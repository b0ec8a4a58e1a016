package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The format rules of the reference (rfc3339-validator, rfc3987 "URI", jsonschema's e-mail check). */
class ReferenceFormatsTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "2025-05-20T08:40:00Z",
        "2025-05-20T08:40:00+00:00",
        "2025-05-20T08:40:00.967000+00:00",
        "2025-05-20T08:40:00.1-23:59",
        "2025-05-20t08:40:00z", // the reference upper-cases first
        "2024-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "2025-05-20T08:40:00Z\n", // Python's $
    })
    void validDateTimes(String value) {
        assertThat(ReferenceFormats.isDateTime(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2025-05-20T08:40:00", // no zone: Vert.x accepts it, the reference does not
        "0000-01-01T00:00:00Z", // year 0: Vert.x accepts it
        "2025-05-20 08:40:00Z",
        "2025-05-20 08:40",
        "2025-05-20T08:40Z", // no seconds
        "2025-05-20",
        "2025-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2025-04-31T00:00:00Z",
        "2025-13-01T00:00:00Z",
        "2025-05-20T24:00:00Z",
        "2025-05-20T08:60:00Z",
        "2025-05-20T08:40:60Z", // no leap seconds
        "2025-05-20T08:40:00+24:00",
        "2025-05-20T08:40:00+0000",
        "2025-05-20T08:40:00.Z",
        "2025-05-20T08:40:00Z\r\n",
        "2025-05-20T08:40:00Z\n\n",
        "２０２５-05-20T08:40:00Z", // no Unicode digits
        " 2025-05-20T08:40:00Z",
    })
    void invalidDateTimes(String value) {
        assertThat(ReferenceFormats.isDateTime(value)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://files.kernelci.org/baseline-x86-qemu/log.txt.gz",
        "https:", // scheme and empty path: valid URI (Vert.x refuses it)
        "https://example.com",
        "https://example.com:8080/a?b=c&d=%20#frag/?",
        "https://example.com:/",
        "https://user:pw@example.com/",
        "https://[::1]:8080/x",
        "https://[2001:db8::7]/",
        "https://[v1.fe80::a+en1]/",
        "https://192.168.0.1/",
        "mailto:someone@example.com",
        "urn:isbn:0451450523",
        "file:///etc/hosts",
        "git://git.kernel.org/pub/scm/linux.git",
        "https://lore.kernel.org/all/20250520.abc123@kernel.org/",
        "a+b-c.d:x",
        "https://x/\n",
    })
    void validUris(String value) {
        assertThat(ReferenceFormats.isUri(value)).isTrue();
        assertThat(regexUri(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://example.com:abc/", // Vert.x accepts it
        "not a url",
        "example.com/path",
        "/relative/path",
        "",
        "https://example.com/a b",
        "https://example.com/ü", // an IRI, not a URI
        "https://example.com/%zz",
        "https://example.com/%4",
        "https://exa mple.com/",
        "https://[::1/",
        "https://[::g]/",
        "https://[V1.x]/",
        "https://a@b@c/",
        "https://example.com:80:80/",
        "https://example.com/#a#b",
        "1https://x",
        "https://x/\r\n",
        "https://x/\n\n",
        "ht tp://x",
        "https://exa<mple.com/",
        "https://example.com/\"",
    })
    void invalidUris(String value) {
        assertThat(ReferenceFormats.isUri(value)).isFalse();
        assertThat(regexUri(value)).isFalse();
    }

    @Test
    void scannerAgreesWithTheRfcGrammar() {
        String alphabet = "aZ09:/?#[]@!$&'()*+,;=-._~% \n\rév";
        String[] prefixes = {"", "https://", "https:", "h://[", "https://u@h:1/", "urn:", "x:/"};
        Random random = new Random(3986);
        for (int i = 0; i < 60_000; i++) {
            StringBuilder value = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            int length = random.nextInt(14);
            for (int j = 0; j < length; j++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = value.toString();
            assertThat(ReferenceFormats.isUri(candidate)).as("%s", StringChecks.quote(candidate))
                    .isEqualTo(regexUri(candidate));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"<msgid@kernel.org>", "Foo <a@b>", "a@b", "@"})
    void emailsOnlyNeedAnAt(String value) {
        assertThat(ReferenceFormats.isEmail(value)).isTrue();
    }

    @Test
    void emailWithoutAtIsRefused() {
        assertThat(ReferenceFormats.isEmail("no-at-sign")).isFalse();
    }

    private static final Pattern URI_GRAMMAR =
            Pattern.compile("^" + ReferenceFormats.UriGrammar.uri() + "$", Pattern.UNIX_LINES);

    private static boolean regexUri(String value) {
        return URI_GRAMMAR.matcher(value).find();
    }
}
