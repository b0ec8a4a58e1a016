package org.kernelci.kcidb.gateway;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;

/** The same routes over a real socket (still no broker). */
@ServerTest
class GatewayRoutesServerTest extends GatewayRoutesCases {
    GatewayRoutesServerTest(Http1Client client) {
        super(client);
    }
}
