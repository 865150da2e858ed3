/**
 * What travels between a site agent and the server: batches of one scan's observations,
 * identifications and findings, as JSON, read back with a clear message for every flaw.
 */
package org.camaudit.server.wire;
