package org.camaudit.testbed;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How one kind of device behaves on the wire. A personality creates devices (model, firmware,
 * serial, MAC from a seeded random source), says which ports each opens, holds one TCP
 * conversation at a time per connection (on its own virtual thread), and answers discovery
 * datagrams. Implementations are stateless: everything a device knows is in its {@link DeviceSpec}.
 */
public interface Personality {
    /** Stable id used in mix files and the manifest: {@code hikvision-camera}, ... */
    String id();

    /** Makes one device on {@code address}; all randomness comes from {@code random}. */
    DeviceSpec create(String address, RandomGenerator random);

    List<Integer> tcpPorts(DeviceSpec device);

    List<Integer> udpPorts(DeviceSpec device);

    /** One accepted connection to {@code port}; return (or throw) to hang up. */
    void converse(DeviceSpec device, int port, Connection connection) throws IOException;

    /** The reply to one datagram sent to {@code port}, or empty to stay silent. */
    Optional<byte[]> answer(DeviceSpec device, int port, byte[] request);
}
