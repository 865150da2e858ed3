/**
 * Passive traffic analysis: streams pcap/pcapng captures, Zeek logs and NetFlow/IPFIX exports into
 * observations (DNS, DHCP, mDNS, SSDP, HTTP, TLS, RTSP, vendor discovery) and per-device flows.
 */
package org.camaudit.traffic;
