package org.kernelci.kcidb.gateway;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.kernelci.kcidb.contracts.cli.ConfigException;

/**
 * The gateway's TLS from certbot's PEM files ({@code fullchain.pem}, {@code privkey.pem}), read by Helidon's PEM
 * support: PKCS#8 keys ({@code BEGIN PRIVATE KEY}, what certbot writes, RSA or EC) and PKCS#1 ones
 * ({@code BEGIN RSA PRIVATE KEY}, older certbot and openssl releases).
 */
final class CertbotTls {
    private CertbotTls() {
    }

    /** @throws ConfigException when the files cannot be read or hold no key or no certificate */
    static Tls load(GatewayConfig.TlsFiles files) {
        Keys keys;
        try {
            keys = Keys.builder()
                    .pem(pem -> pem.key(Resource.create(files.privkey())).certChain(Resource.create(files.fullchain())))
                    .build();
        } catch (RuntimeException e) {
            throw unusable(files, e.getMessage(), e);
        }
        PrivateKey key = keys.privateKey().orElseThrow(() -> unusable(files, "no private key", null));
        List<X509Certificate> chain = keys.certChain();
        if (chain.isEmpty()) {
            throw unusable(files, "no certificate", null);
        }
        return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
    }

    private static ConfigException unusable(GatewayConfig.TlsFiles files, String why, Throwable cause) {
        return new ConfigException("cannot load TLS certificate " + files.fullchain() + " and key " + files.privkey()
                + ": " + why, cause);
    }
}
