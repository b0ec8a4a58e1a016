package org.kernelci.kcidb.logspec.consumer;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client logs are fetched with (Apache HttpClient, classic): its connections go only to the addresses the
 * given resolver returns; TLS takes the server name (SNI) and the name the certificate must hold from the URL's host,
 * not from the address connected to. It follows no redirect, retries nothing, decompresses nothing, keeps no cookies
 * and uses no proxy: the log fetcher does each of these itself or not at all.
 */
final class LogHttpClient {
    private LogHttpClient() {
    }

    static CloseableHttpClient create(Duration connectTimeout, Duration readTimeout, DnsResolver resolver,
                                      SSLContext tls) {
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls, HostnameVerificationPolicy.BUILTIN, null))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(readTimeout))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(readTimeout)).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("kcidb-ng-logspec")
                .build();
    }
}
