package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which addresses log URLs may lead to: pure checks on addresses, nothing is resolved or connected to. */
class AddressPolicyTest {
    private final AddressPolicy publicOnly = AddressPolicy.publicOnly();

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, loopback", "127.255.0.9, loopback", "::1, loopback",
            "169.254.169.254, link_local", "fe80::1, link_local",
            "10.1.2.3, private", "172.16.0.1, private", "172.31.255.255, private", "192.168.1.1, private",
            "fd12:3456::1, private", "fc00::1, private", "fec0::1, private",
            "100.64.0.1, carrier_grade_nat", "100.127.255.254, carrier_grade_nat",
            "0.0.0.0, unspecified", "0.1.2.3, unspecified", "::, unspecified",
            "224.0.0.1, multicast", "239.255.255.250, multicast", "ff02::1, multicast",
            "255.255.255.255, broadcast", "240.0.0.1, reserved", "192.0.2.10, reserved", "198.18.0.1, reserved",
            "2001:db8::1, reserved", "2001:0:4136:e378:8000:63bf:3fff:fdd2, reserved",
            // IPv6 forms carrying an IPv4 address: compatible, NAT64, 6to4.
            "::127.0.0.1, loopback", "::a9fe:a9fe, link_local", "64:ff9b::a00:1, private", "2002:7f00:1::1, loopback",
            "2002:a9fe:a9fe::1, link_local"})
    void refusesEveryNonPublicClass(String address, String rule) throws Exception {
        assertThat(publicOnly.refusal("logs.example.org", InetAddress.getByName(address)).map(r -> r.label))
                .contains(rule);
    }

    @Test
    void refusesIpv4MappedIpv6AddressesByTheirIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1};
        InetAddress v6 = Inet6Address.getByAddress("logs.example.org", mapped, -1);
        assertThat(v6.getAddress()).hasSize(16);
        assertThat(publicOnly.refusal("logs.example.org", v6).map(r -> r.label)).contains("loopback");
        byte[] mappedPrivate = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 7};
        assertThat(publicOnly.refusal("x", Inet6Address.getByAddress("x", mappedPrivate, -1)).map(r -> r.label))
                .contains("private");
        // Java itself turns the textual mapped form into IPv4.
        assertThat(publicOnly.refusal("x", InetAddress.getByName("::ffff:169.254.169.254")).map(r -> r.label))
                .contains("link_local");
    }

    @ParameterizedTest
    @CsvSource({"93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700:4700::1111",
            "2a00:1450:4007:80f::200e", "2002:5db8:d70e::1"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(publicOnly.refusal("logs.example.org", InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void theAllowListNamesHostsAndRanges() throws Exception {
        AddressPolicy lab = AddressPolicy.allowing(List.of(" Logs.Lab.Example.org. ", "10.1.0.0/16", "fd00:1::/32",
                "192.168.7.7", ""));
        InetAddress internal = InetAddress.getByName("10.9.9.9");
        assertThat(lab.refusal("logs.lab.example.org", internal)).as("host, whatever it resolves to").isEmpty();
        assertThat(lab.refusal("LOGS.LAB.EXAMPLE.ORG.", internal)).isEmpty();
        assertThat(lab.refusal("other.lab.example.org", internal).map(r -> r.label)).contains("private");
        assertThat(lab.refusal("other", InetAddress.getByName("10.1.200.3"))).as("range").isEmpty();
        assertThat(lab.refusal("other", InetAddress.getByName("10.2.0.1")).map(r -> r.label)).contains("private");
        assertThat(lab.refusal("other", InetAddress.getByName("fd00:1::5"))).isEmpty();
        assertThat(lab.refusal("other", InetAddress.getByName("fd00:2::5")).map(r -> r.label)).contains("private");
        assertThat(lab.refusal("other", InetAddress.getByName("192.168.7.7"))).as("one address").isEmpty();
        assertThat(lab.refusal("other", InetAddress.getByName("192.168.7.8"))).isPresent();
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 1, 0, 1};
        assertThat(lab.refusal("other", Inet6Address.getByAddress("other", mapped, -1))).as("mapped form of a range")
                .isEmpty();
        assertThat(lab.refusal("other", InetAddress.getByName("127.0.0.1")).map(r -> r.label)).contains("loopback");
        assertThat(lab.toString()).contains("logs.lab.example.org").contains("10.1.0.0/16");
        assertThat(publicOnly.toString()).isEqualTo("public addresses only");
    }

    @Test
    void badEntriesAreRefusedByName() {
        for (String bad : List.of("10.0.0.0/33", "::1/129", "999.1.1.1", "10.0.0.0/x", "logs example.org", "a/b",
                "http://logs.example.org")) {
            assertThatThrownBy(() -> AddressPolicy.allowing(List.of(bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThat(AddressPolicy.allowing(List.of("127.0.0.0/8", "::1", "localhost")).refusal("x",
                InetAddress.getLoopbackAddress())).isEqualTo(Optional.empty());
    }
}
