package org.camaudit.probes.discovery;

import java.net.InetSocketAddress;

/** Builds the request datagram for one destination (a fresh message id each time if the protocol has one). */
@FunctionalInterface
interface PayloadBuilder {
    byte[] build(InetSocketAddress destination);
}
