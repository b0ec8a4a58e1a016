package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resolver hands the HTTP client only allowed addresses; names resolve through a fake, nothing is looked up. */
class PolicyDnsResolverTest {
    private static final Map<String, List<String>> NAMES = Map.of(
            "mixed.example.org", List.of("10.0.0.1", "93.184.215.14", "127.0.0.1"),
            "inside.example.org", List.of("192.168.0.10", "127.0.0.1"),
            "nothing.example.org", List.of());

    private static InetAddress[] lookup(String host) throws UnknownHostException {
        List<String> found = NAMES.get(host);
        if (found == null && (host.matches("[0-9.]+") || host.contains(":"))) {
            return InetAddress.getAllByName(host); // a literal: parsed, not looked up
        }
        if (found == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[found.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = InetAddress.getByAddress(host, InetAddress.getByName(found.get(i)).getAddress());
        }
        return out;
    }

    private final PolicyDnsResolver resolver = new PolicyDnsResolver(PolicyDnsResolverTest::lookup,
            AddressPolicy.publicOnly());

    @Test
    void keepsOnlyTheAddressesThePolicyAllows() throws Exception {
        InetAddress[] got = resolver.resolve("mixed.example.org");
        assertThat(got).extracting(InetAddress::getHostAddress).containsExactly("93.184.215.14");
    }

    @Test
    void refusesANameWithNoAllowedAddressNamingTheRuleNotTheAddress() {
        assertThatThrownBy(() -> resolver.resolve("inside.example.org")).isInstanceOfSatisfying(UrlRefusedException.class,
                e -> {
                    assertThat(e.rule()).isEqualTo("private");
                    assertThat(e.getMessage()).isEqualTo("inside.example.org resolves to a private address, which log "
                            + "URLs may not name (rule private)");
                    assertThat(e.getMessage()).doesNotContain("192.168").doesNotContain("127.0.0.1");
                });
        assertThatThrownBy(() -> resolver.resolve("[::1]")).isInstanceOfSatisfying(UrlRefusedException.class,
                e -> assertThat(e.getMessage()).startsWith("::1 is a loopback address"));
    }

    @Test
    void unknownNamesStayUnknown() {
        assertThatThrownBy(() -> resolver.resolve("nothing.example.org")).isExactlyInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> resolver.resolve("missing.example.org")).isExactlyInstanceOf(UnknownHostException.class);
    }

    @Test
    void theAllowListLetsANameThrough() throws Exception {
        PolicyDnsResolver lab = new PolicyDnsResolver(PolicyDnsResolverTest::lookup,
                AddressPolicy.allowing(List.of("inside.example.org")));
        assertThat(lab.resolve("inside.example.org")).hasSize(2);
    }
}
