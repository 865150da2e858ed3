/**
 * A fleet of simulated devices on loopback: vendor personalities that answer like the real ones
 * on the wire, thousands per process, each on its own 127.x.y.z address, with a ground-truth
 * manifest of what an auditor should find. For tests, benchmarks and the demo; never a target
 * outside 127.0.0.0/8.
 */
package org.camaudit.testbed;
